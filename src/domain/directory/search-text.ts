import type { DirectoryEntry } from './directory-entry'
import { categoryWords } from './categories'

/** The text of an entry that full-text search reads, one field per weighted column. */
export interface SearchText {
  name: string
  summary: string
  tags: string
  services: string
  place: string
}

/** Column weights for ranking (bm25), in SearchText's order: a name or tag match counts most. */
export const SEARCH_WEIGHTS = [10, 2, 6, 4, 1] as const

/** Splits an entry into the weighted columns of the full-text index. Slugs become words. */
export function searchTextOf (entry: DirectoryEntry): SearchText {
  const words = (s: string | undefined): string => (s ?? '').replace(/-/g, ' ')
  const tags = [...entry.tags, ...(entry.memberClasses ?? []), entry.legalForm ?? ''].map(words)
  const services = entry.services.flatMap(s => [s.name, categoryWords(s.category), s.software?.name ?? '', s.summary ?? ''])
  const place = [entry.location?.address, entry.location?.locality, entry.location?.country]
  return {
    name: entry.name,
    summary: entry.summary ?? '',
    tags: tags.filter(Boolean).join(' · '),
    services: services.filter(Boolean).join(' · '),
    place: place.filter(Boolean).join(' · ')
  }
}

/** The words of a search box, for the store to match: letters and digits only, at most 12. */
export function searchTerms (text: string | undefined): string[] {
  if (!text) return []
  const words = text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return [...new Set(words)].slice(0, 12)
}
