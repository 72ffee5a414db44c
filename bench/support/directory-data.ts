/**
 * A synthetic sibling-hub directory feed (`directory.json`, ioocloud-directory/0.1) of any size,
 * the same for a given size on every run. Word frequencies are chosen so the benchmark has
 * narrow, medium and broad searches: "cloud" is in about half the entries, "nextcloud" (a
 * software name) in about a third, a city name in well under one percent.
 */

/** The searches the directory benchmarks run, by how much of the directory each matches. */
export const DIRECTORY_QUERIES = {
  narrow: ['q=lyon', 'q=tampere', 'q=porto'],
  medium: ['q=nextcloud', 'q=wallabag', 'q=email'],
  broad: ['q=cloud', 'q=cloud+cooperative', 'q=hosting'],
  filtered: ['q=cloud&country=DE', 'q=nextcloud&category=file-hosting&language=fr', 'q=hosting&status=active&language=de', 'country=FR&category=email']
} as const

/** Broad searches, for the mixed-load benchmark's visitors. */
export const BROAD_QUERIES: readonly string[] = DIRECTORY_QUERIES.broad

const CITIES = ['Lyon', 'Tampere', 'Porto', 'Leipzig', 'Bilbao', 'Gent', 'Turin', 'Graz', 'Malmo', 'Cork', 'Brno', 'Lille', 'Nantes', 'Bologna', 'Aarhus', 'Utrecht', 'Freiburg', 'Girona', 'Coimbra', 'Bergen']
const COUNTRIES = ['DE', 'FR', 'ES', 'IT', 'NL', 'BE', 'PT', 'AT', 'SE', 'FI', 'IE', 'CZ', 'DK', 'NO', 'CH', 'PL', 'GB', 'US', 'CA', 'BR']
const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ca', 'eu', 'sv']
const ADJECTIVES = ['friendly', 'small', 'member-owned', 'local', 'ethical', 'independent', 'community', 'solidarity', 'green', 'open']
const NOUNS = ['collective', 'association', 'network', 'workshop', 'federation', 'project', 'group', 'union', 'circle', 'commons']
const TAGS = ['cooperative', 'libre software', 'privacy', 'web hosting', 'email', 'nonprofit', 'degrowth', 'education', 'culture', 'housing']
const SOFTWARE: Array<[string, string]> = [
  ['Nextcloud', 'file-hosting'], ['Wallabag', 'read-later'], ['Tiny Tiny RSS', 'feeds'], ['Loomio', 'decisions'], ['Matrix', 'chat'],
  ['Jitsi', 'video'], ['Postfix', 'email'], ['Collabora', 'office'], ['Zammad', 'helpdesk'], ['LimeSurvey', 'forms'], ['Sogo', 'calendar'], ['Apache', 'web-hosting']
]
const ACCESS = ['public', 'members', 'agreement'] as const

/** A small deterministic generator (mulberry32): the same data on every run. */
function random (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The feed's JSON text with `count` entries, all the sibling's own (`local: true`). */
export function directoryFeed (count: number, hubUrl = 'https://sibling.example'): string {
  const rnd = random(20261126)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]
  const entries: unknown[] = []
  for (let i = 0; i < count; i++) {
    const city = rnd() < 0.1 ? pick(CITIES) : `Town ${Math.floor(rnd() * 5000)}`
    const country = pick(COUNTRIES)
    const cloud = rnd() < 0.5
    // Services count only for co-op records (an imported one contributes its tags and text), so
    // the software is named in the summary too, as directory listings do.
    const [software, category] = rnd() < 0.25 ? SOFTWARE[0] : pick(SOFTWARE)
    const services = Array.from({ length: rnd() < 0.3 ? 1 : 0 }, (_v, s) => {
      return {
        id: `https://coop-${i}.example.org/services/${s}`,
        name: `${software} for members`,
        url: `https://${category}.coop-${i}.example.org`,
        category,
        access: pick(ACCESS),
        software: { name: software },
        acceptingMembers: rnd() < 0.6,
        dataLocation: country
      }
    })
    entries.push({
      id: `coop-${i}`,
      url: `https://coop-${i}.example.org`,
      name: `${pick(ADJECTIVES)} ${pick(NOUNS)} ${i}`,
      kind: 'coop-cloud',
      status: rnd() < 0.95 ? 'active' : 'paused',
      local: true,
      summary: `A ${pick(ADJECTIVES)} ${cloud ? 'cloud' : 'service'} ${pick(NOUNS)} for the people of ${city}, with ${software} for its members.`,
      tags: [pick(TAGS), pick(TAGS), category.replace(/-/g, ' ')].filter((t, n, all) => all.indexOf(t) === n),
      languages: [pick(LANGUAGES), ...(rnd() < 0.3 ? [pick(LANGUAGES)] : [])].filter((l, n, all) => all.indexOf(l) === n),
      location: { locality: city, country },
      services,
      links: [],
      provenance: [],
      updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()
    })
  }
  return JSON.stringify({ schema: 'ioocloud-directory/0.1', hub: { url: hubUrl, name: 'Sibling' }, generatedAt: new Date(Date.UTC(2026, 10, 1)).toISOString(), totalItems: count, entries })
}
