import type { DirectoryFeed } from '../../schemas/generated/directory-feed'
import type { DirectoryEntry } from '../../store/ports/directory.port'

/** The version of the feed format, as sibling directories check it. */
export const DIRECTORY_FEED_SCHEMA = 'ioocloud-directory/0.1'

/** The hub's whole directory as the feed other directories import. */
export function buildDirectoryFeed (hub: { url: string, name: string }, entries: DirectoryEntry[], generatedAt: Date): DirectoryFeed {
  return {
    schema: DIRECTORY_FEED_SCHEMA,
    hub: { url: hub.url, name: hub.name },
    generatedAt: generatedAt.toISOString(),
    totalItems: entries.length,
    entries
  }
}
