/**
 * The directory on SQLite: source records, merged entries, their (facet, value) pairs and an
 * FTS5 index, kept in step inside one transaction per change.
 */
import crypto from 'node:crypto'
import type Database from 'better-sqlite3'
import { ValidationError } from '../../errors/app-errors'
import { canonicalWebsite, entryIdFor } from '../../domain/directory/canonical-url'
import { facetValues } from '../../domain/directory/facets'
import { byPrecedence, kindRank, mergeSources } from '../../domain/directory/merge'
import { searchTextOf } from '../../domain/directory/search-text'
import type {
  DirectoryEntry, DirectoryQuery, DirectoryRepository, DirectoryResultPage, ImportReport, SourceEntry, StoredSourceEntry
} from '../ports/directory.port'
import { SqliteDirectorySearch } from './sqlite.directory.search'
import type { DirectorySearchThread } from './directory-search-thread'
import { encodeFacetPairs } from './facet-pairs'

interface SourceRow {
  source: string
  source_id: string
  kind: string
  canonical: string
  doc: string
  hash: string
  retrieved_at: string
  seen_at: string
  gone_at: string | null
}

/** What an import needs to know of a stored record to tell whether it changed. */
interface SourceState { canonical: string, hash: string, gone_at: string | null }

/** `DirectoryRepository` on the hub's SQLite database. */
export class SqliteDirectoryRepository implements DirectoryRepository {
  private readonly searcher: SqliteDirectorySearch
  // Prepared once: an import of 100,000 records runs each of these 100,000 times.
  private readonly sql

  /** `thread`, when running, answers searches off the event loop (directory-search-thread.ts). */
  constructor (private readonly db: Database.Database, private readonly now: () => number = Date.now, private readonly thread?: DirectorySearchThread) {
    this.searcher = new SqliteDirectorySearch(db)
    this.sql = {
      state: db.prepare<[string, string], SourceState>('SELECT canonical, hash, gone_at FROM directory_sources WHERE source = ? AND source_id = ?'),
      statesOf: db.prepare<[string], SourceState & { source_id: string }>('SELECT source_id, canonical, hash, gone_at FROM directory_sources WHERE source = ?'),
      row: db.prepare<[string, string], SourceRow>('SELECT * FROM directory_sources WHERE source = ? AND source_id = ?'),
      upsert: db.prepare(`
        INSERT INTO directory_sources (source, source_id, kind, canonical, doc, hash, retrieved_at, seen_at, gone_at)
        VALUES (@source, @sourceId, @kind, @canonical, @doc, @hash, @now, @now, NULL)
        ON CONFLICT (source, source_id) DO UPDATE SET kind = @kind, canonical = @canonical, doc = @doc, hash = @hash,
          retrieved_at = @now, seen_at = @now, gone_at = NULL`),
      liveOf: db.prepare<[string], SourceRow>('SELECT * FROM directory_sources WHERE canonical = ? AND gone_at IS NULL'),
      entryOf: db.prepare<[string], { rowid: number, doc: string }>('SELECT rowid, doc FROM directory_entries WHERE canonical = ?'),
      deleteFts: db.prepare<[number]>('DELETE FROM directory_fts WHERE rowid = ?'),
      deleteEntry: db.prepare<[number]>('DELETE FROM directory_entries WHERE rowid = ?'),
      updateEntry: db.prepare('UPDATE directory_entries SET name_key = @nameKey, kind_rank = @kindRank, updated_at = @updatedAt, doc = @doc WHERE rowid = @rowid'),
      deleteFacets: db.prepare<[number]>('DELETE FROM directory_facets WHERE entry_rowid = ?'),
      insertEntry: db.prepare('INSERT INTO directory_entries (id, canonical, name_key, kind_rank, updated_at, doc) VALUES (@id, @canonical, @nameKey, @kindRank, @updatedAt, @doc)'),
      addFacet: db.prepare<[string, string, number]>('INSERT INTO directory_facets (facet, value, entry_rowid) VALUES (?, ?, ?)'),
      setPairs: db.prepare<[number, string]>(`INSERT INTO directory_entry_facets (entry_rowid, pairs) VALUES (?, ?)
        ON CONFLICT (entry_rowid) DO UPDATE SET pairs = excluded.pairs`),
      addFts: db.prepare<[number, string, string, string, string, string]>('INSERT INTO directory_fts (rowid, name, summary, tags, services, place) VALUES (?, ?, ?, ?, ?, ?)'),
      bump: db.prepare('UPDATE directory_state SET version = version + 1 WHERE id = 1')
    }
  }

  async upsertSourceEntry (entry: SourceEntry): Promise<'added' | 'changed' | 'unchanged'> {
    return this.db.transaction(() => this.upsertOne(entry, new Date(this.now()).toISOString()))()
  }

  async removeSourceEntry (source: string, sourceId: string): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.sourceRow(source, sourceId)
      if (!row) return false
      this.db.prepare('DELETE FROM directory_sources WHERE source = ? AND source_id = ?').run(source, sourceId)
      this.remerge(row.canonical)
      return true
    })()
  }

  async importBatch (source: string, entries: SourceEntry[], options: { markMissingGone: boolean }): Promise<ImportReport> {
    for (const e of entries) {
      if (e.source !== source) throw new ValidationError(`Entry ${e.sourceId} belongs to source "${e.source}", not "${source}"`, { source: 'must be the batch source' })
    }
    return this.db.transaction(() => {
      const now = new Date(this.now()).toISOString()
      const report: ImportReport = { added: 0, changed: 0, unchanged: 0, gone: 0 }
      // One read of what the source holds instead of one query per record: most are unchanged.
      const stored = new Map(this.sql.statesOf.all(source).map(r => [r.source_id, r]))
      const inBatch = new Set<string>()
      for (const entry of entries) {
        if (inBatch.has(entry.sourceId)) throw new ValidationError(`Entry ${entry.sourceId} appears twice in one import of ${source}`, { sourceId: 'must be unique in a batch' })
        inBatch.add(entry.sourceId)
        report[this.upsertOne(entry, now, stored.get(entry.sourceId) ?? null)]++
      }
      if (options.markMissingGone) {
        const markGone = this.db.prepare('UPDATE directory_sources SET gone_at = ? WHERE source = ? AND source_id = ?')
        for (const row of stored.values()) {
          if (row.gone_at !== null || inBatch.has(row.source_id)) continue
          markGone.run(now, source, row.source_id)
          this.remerge(row.canonical)
          report.gone++
        }
      }
      return report
    })()
  }

  async listSourceEntries (source: string): Promise<StoredSourceEntry[]> {
    const rows = this.db.prepare<[string], SourceRow>('SELECT * FROM directory_sources WHERE source = ? ORDER BY source_id').all(source)
    return rows.map(row => ({ entry: JSON.parse(row.doc), entryId: entryIdFor(row.canonical), retrievedAt: row.retrieved_at, goneAt: row.gone_at }))
  }

  async listEntrySources (entryId: string): Promise<StoredSourceEntry[]> {
    const rows = this.db.prepare<[string], SourceRow>(`SELECT s.* FROM directory_sources s JOIN directory_entries e ON e.canonical = s.canonical
      WHERE e.id = ? AND s.gone_at IS NULL`).all(entryId)
    const stored = rows.map(row => ({ entry: JSON.parse(row.doc) as SourceEntry, entryId, retrievedAt: row.retrieved_at, goneAt: null }))
    return stored.sort((a, b) => byPrecedence(a, b))
  }

  async listLiveSourceIds (source: string): Promise<string[]> {
    return this.db.prepare<[string], { source_id: string }>('SELECT source_id FROM directory_sources WHERE source = ? AND gone_at IS NULL ORDER BY source_id')
      .all(source).map(r => r.source_id)
  }

  async search (query: DirectoryQuery): Promise<DirectoryResultPage> {
    if (this.thread?.available) {
      try {
        return await this.thread.search(query)
      } catch (err) {
        // A refused query is the visitor's; a failed thread leaves the search to this connection.
        if (err instanceof ValidationError) throw err
      }
    }
    return this.searcher.search(query)
  }

  async getEntry (id: string): Promise<DirectoryEntry | null> {
    const row = this.db.prepare<[string], { doc: string }>('SELECT doc FROM directory_entries WHERE id = ?').get(id)
    return row ? JSON.parse(row.doc) : null
  }

  async getEntryByActor (actorId: string): Promise<DirectoryEntry | null> {
    const row = this.db.prepare<[string], { doc: string }>(`
      SELECT e.doc FROM directory_sources s JOIN directory_entries e ON e.canonical = s.canonical
      WHERE s.source_id = ? AND s.kind IN ('local', 'federated') AND s.gone_at IS NULL LIMIT 1`).get(actorId)
    return row ? JSON.parse(row.doc) : null
  }

  async listEntries (): Promise<DirectoryEntry[]> {
    return this.db.prepare<[], { doc: string }>('SELECT doc FROM directory_entries ORDER BY id').all().map(r => JSON.parse(r.doc))
  }

  async purgeGone (source: string, goneBefore: string): Promise<number> {
    // Gone records are already left out of the merge, so deleting them changes no entry.
    return this.db.prepare('DELETE FROM directory_sources WHERE source = ? AND gone_at IS NOT NULL AND gone_at < ?').run(source, goneBefore).changes
  }

  async removeSource (source: string): Promise<number> {
    return this.db.transaction(() => {
      const rows = this.db.prepare<[string], { canonical: string }>('SELECT DISTINCT canonical FROM directory_sources WHERE source = ?').all(source)
      const removed = this.db.prepare('DELETE FROM directory_sources WHERE source = ?').run(source).changes
      for (const row of rows) this.remerge(row.canonical)
      return removed
    })()
  }

  async version (): Promise<number> {
    return this.db.prepare<[], { version: number }>('SELECT version FROM directory_state WHERE id = 1').get()?.version ?? 0
  }

  /** Stores one record (inside the caller's transaction) and re-merges the entries it leaves or joins. */
  private upsertOne (entry: SourceEntry, now: string, known?: SourceState | null): 'added' | 'changed' | 'unchanged' {
    const canonical = canonicalWebsite(entry.website)
    if (!canonical) {
      throw new ValidationError(`Entry ${entry.sourceId} of ${entry.source} has no usable website ("${entry.website}")`, { website: 'must be a web address or a urn' })
    }
    const doc = JSON.stringify(entry)
    const hash = crypto.createHash('sha256').update(doc).digest('hex')
    const existing = known === undefined ? this.sql.state.get(entry.source, entry.sourceId) : known
    // An unchanged record is not written at all: rewriting 100,000 rows (and their pages) to
    // refresh `seen_at` made an unchanged re-import take seconds. `seen_at` is thus when an import
    // last wrote the record; when its source last listed it is that source's last good run.
    if (existing && existing.hash === hash && existing.gone_at === null) return 'unchanged'
    this.sql.upsert.run({ source: entry.source, sourceId: entry.sourceId, kind: entry.kind, canonical, doc, hash, now })
    if (existing && existing.canonical !== canonical) this.remerge(existing.canonical)
    this.remerge(canonical)
    return existing ? 'changed' : 'added'
  }

  private sourceRow (source: string, sourceId: string): SourceRow | undefined {
    return this.sql.row.get(source, sourceId)
  }

  /** Rebuilds the merged entry of one canonical website from its live records, or removes it. */
  private remerge (canonical: string): void {
    const rows = this.sql.liveOf.all(canonical)
    const current = this.sql.entryOf.get(canonical)
    if (rows.length === 0) {
      if (!current) return
      this.sql.deleteFts.run(current.rowid)
      this.sql.deleteEntry.run(current.rowid)
      this.bumpVersion()
      return
    }
    const entry = mergeSources(entryIdFor(canonical), rows.map(r => ({ entry: JSON.parse(r.doc) as SourceEntry, retrievedAt: r.retrieved_at })))
    const doc = JSON.stringify(entry)
    if (current?.doc === doc) return
    const values = { id: entry.id, canonical, nameKey: nameKey(entry.name), kindRank: kindRank(entry), updatedAt: entry.updatedAt, doc }
    let rowid: number
    if (current) {
      rowid = current.rowid
      this.sql.updateEntry.run({ ...values, rowid })
      this.sql.deleteFacets.run(rowid)
      this.sql.deleteFts.run(rowid)
    } else {
      rowid = Number(this.sql.insertEntry.run(values).lastInsertRowid)
    }
    const pairs = facetValues(entry)
    for (const [facet, value] of pairs) this.sql.addFacet.run(facet, value, rowid)
    this.sql.setPairs.run(rowid, encodeFacetPairs(pairs))
    const text = searchTextOf(entry)
    this.sql.addFts.run(rowid, text.name, text.summary, text.tags, text.services, text.place)
    this.bumpVersion()
  }

  private bumpVersion (): void {
    this.sql.bump.run()
  }
}

/** The key names sort by: case- and accent-insensitive. */
function nameKey (name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim()
}
