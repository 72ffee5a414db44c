import type { DirectoryEntry, FacetName } from './directory-entry'
import { KNOWN_CATEGORIES } from './categories'

/** A tag or name as a category slug: lower-case words joined by -. */
export function slugOf (text: string): string {
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '')
}

/**
 * Every (facet, value) pair an entry has; what the filters match and the facets count. An
 * imported entry's tag counts as a category when its slug is a known one ("web hosting" →
 * web-hosting), so filtering by category finds imported hosters too.
 */
export function facetValues (entry: DirectoryEntry): Array<[FacetName, string]> {
  const pairs = new Set<string>()
  const add = (facet: FacetName, value: string | undefined): void => {
    if (value) pairs.add(`${facet}\u0000${value}`)
  }
  const known = new Set<string>(KNOWN_CATEGORIES)
  for (const s of entry.services) {
    add('category', s.category)
    add('software', s.software?.name.trim().toLowerCase())
    add('access', s.access)
  }
  for (const tag of entry.tags) {
    const slug = slugOf(tag)
    if (known.has(slug)) add('category', slug)
  }
  add('accepting', acceptingMembers(entry))
  add('country', countryOf(entry))
  for (const language of entry.languages) add('language', language.toLowerCase())
  add('status', entry.status)
  add('kind', entry.kind)
  for (const p of entry.provenance) add('source', p.source)
  return [...pairs].map(p => p.split('\u0000') as [FacetName, string])
}

/** 'yes' when any service takes new members, 'no' when services say they do not, else unknown. */
export function acceptingMembers (entry: DirectoryEntry): 'yes' | 'no' | undefined {
  if (entry.services.some(s => s.acceptingMembers === true)) return 'yes'
  if (entry.services.some(s => s.acceptingMembers === false)) return 'no'
  return undefined
}

/** The entry's country: where it says it is, else where all its services keep data. */
export function countryOf (entry: DirectoryEntry): string | undefined {
  if (entry.location?.country) return entry.location.country
  const places = new Set(entry.services.map(s => s.dataLocation).filter((c): c is string => Boolean(c)))
  return places.size === 1 ? [...places][0] : undefined
}
