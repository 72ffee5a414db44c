/**
 * What the directory is made of, as plain types: a merged entry, what one source says about one
 * cloud, and the facets a search filters on. Shared by the directory feature and the store
 * adapters that index it.
 */
import type { DirectoryEntry, Provenance, Service, SourceKind } from '../../schemas/generated/directory-entry'

export type { DirectoryEntry, Provenance, SourceKind }
export type DirectoryService = Service

/** The filters (and facets) of a directory search. */
export const FACETS = ['category', 'software', 'access', 'accepting', 'country', 'language', 'status', 'kind', 'source'] as const
export type FacetName = typeof FACETS[number]

/** What one source says about one cloud, before merging. Its e-mail address is stored but only a local one is ever published. */
export interface SourceEntry {
  /** The hub's host for local and federated co-ops; the directory's name for imports. */
  source: string
  kind: SourceKind
  /** The record's id in its source (an actor id, a row key); unique per source. */
  sourceId: string
  /** The cloud's website as the source gives it; merged with other sources by its canonical form. */
  website: string
  name: string
  summary?: string
  logo?: string
  status: DirectoryEntry['status']
  legalForm?: DirectoryEntry['legalForm']
  memberClasses?: string[]
  tags?: string[]
  location?: DirectoryEntry['location']
  languages?: string[]
  contact?: { email?: string, url?: string }
  actor?: string
  /** For a followed co-op whose hub stopped answering sibling syncs: since when. */
  unreachableSince?: string
  services?: DirectoryService[]
  links?: DirectoryEntry['links']
  /** Where the record can be read, e.g. the import file's origin or the actor. */
  url?: string
  snapshot?: string
  /** When the source itself says the record last changed, when it says so. */
  updatedAt?: string
}
