/**
 * Storage of the directory of participating clouds. Each source (this hub, a followed sibling
 * hub, an imported directory) keeps its own record of a cloud; records that name the same
 * canonical website are merged into one entry, which is what search, the API and the feeds read.
 */
import type { DirectoryEntry, FacetName, SourceEntry } from '../../domain/directory/directory-entry'

export type { DirectoryEntry, DirectoryService, FacetName, Provenance, SourceEntry, SourceKind } from '../../domain/directory/directory-entry'
export { FACETS } from '../../domain/directory/directory-entry'

/** The orders a search can be sorted in. */
export const SORTS = ['relevance', 'name', 'updated'] as const
export type DirectorySort = typeof SORTS[number]

/** A source record as stored: its data plus bookkeeping. */
export interface StoredSourceEntry {
  entry: SourceEntry
  /** The merged entry it belongs to. */
  entryId: string
  retrievedAt: string
  /** Set when an import run no longer found the record; gone records are left out of the merge. */
  goneAt: string | null
}

/** What one import run did. */
export interface ImportReport {
  added: number
  changed: number
  unchanged: number
  gone: number
}

/** Where a page of results starts: the sort values and id of the previous page's last entry. */
export interface SearchPosition {
  key: Array<string | number>
  id: string
}

/** A directory search as the store runs it; `terms` are plain words (the adapter quotes them). */
export interface DirectoryQuery {
  terms: string[]
  filters: Partial<Record<FacetName, string>>
  sort: DirectorySort
  limit: number
  after?: SearchPosition
}

/** How many results a facet value would give. */
export interface FacetCount {
  value: string
  count: number
}

/** One page of results, the total, facet counts, and where the next page starts. */
export interface DirectoryResultPage {
  items: DirectoryEntry[]
  total: number
  /**
   * For each facet, the results the query would give with that facet's filter set to each
   * value (the other filters kept), so a count always equals what choosing it returns.
   */
  facets: Record<FacetName, FacetCount[]>
  next: SearchPosition | null
}

/** Storage of directory sources and merged entries. */
export interface DirectoryRepository {
  /** Adds or replaces one source's record of a cloud (clearing `gone`) and re-merges the entries it touches. */
  upsertSourceEntry(entry: SourceEntry): Promise<'added' | 'changed' | 'unchanged'>
  /** Deletes one source's record and re-merges; false when there was none. */
  removeSourceEntry(source: string, sourceId: string): Promise<boolean>
  /**
   * One import run of one source, in one transaction: upserts every record; with
   * `markMissingGone`, marks the source's records missing from the batch as gone.
   */
  importBatch(source: string, entries: SourceEntry[], options: { markMissingGone: boolean }): Promise<ImportReport>
  /** The source's records, gone ones included. */
  listSourceEntries(source: string): Promise<StoredSourceEntry[]>
  /** The live records merged into entry `entryId`, most trusted first (what its page shows beside the merge). */
  listEntrySources(entryId: string): Promise<StoredSourceEntry[]>
  /** The ids of the source's live (not gone) records: what an import compares without reading every record. */
  listLiveSourceIds(source: string): Promise<string[]>
  /** Full-text search with filters, facet counts and keyset pagination. */
  search(query: DirectoryQuery): Promise<DirectoryResultPage>
  getEntry(id: string): Promise<DirectoryEntry | null>
  /** The entry a co-op actor's record is merged into. */
  getEntryByActor(actorId: string): Promise<DirectoryEntry | null>
  /** Every entry, ordered by id. */
  listEntries(): Promise<DirectoryEntry[]>
  /** A number that grows with every change to the entries (for caches and ETags). */
  version(): Promise<number>
  /** Deletes a source's records that have been gone since before `goneBefore` (ISO): the end of the grace period. Answers how many. */
  purgeGone(source: string, goneBefore: string): Promise<number>
  /** Deletes every record of a source and re-merges, in one transaction (the admin removed the source). Answers how many. */
  removeSource(source: string): Promise<number>
}
