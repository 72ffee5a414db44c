/** Where the directory's feeds and pages are served, in one place. */
export const DIRECTORY_PATHS = {
  feed: '/directory.json',
  murmurations: '/u/:username/murmurations.json',
  home: '/',
  entry: '/directory/:id',
  coop: '/u/:username',
  umbrellas: '/umbrellas',
  pools: '/pools',
  network: '/network',
  map: '/map',
  stylesheet: '/static/directory.css'
} as const

/** The Murmurations profile of a local co-op. */
export function murmurationsProfileUrl (hubUrl: string, username: string): string {
  return `${hubUrl}/u/${encodeURIComponent(username)}/murmurations.json`
}
