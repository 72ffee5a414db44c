/**
 * The directory on PostgreSQL: source records and merged entries (with their facet keys and
 * search text), kept in step inside one transaction per change. Directory writes take one
 * transaction-scoped advisory lock, so two processes never merge the same website at once.
 */
import crypto from 'node:crypto'
import { ValidationError } from '../../errors/app-errors'
import { canonicalWebsite, entryIdFor } from '../../domain/directory/canonical-url'
import { facetValues } from '../../domain/directory/facets'
import { byPrecedence, kindRank, mergeSources } from '../../domain/directory/merge'
import { searchTextOf } from '../../domain/directory/search-text'
import type {
  DirectoryEntry, DirectoryQuery, DirectoryRepository, DirectoryResultPage, ImportReport, SourceEntry, StoredSourceEntry
} from '../ports/directory.port'
import type { PostgresDatabase, Queryable } from './postgres-database'
import { facetKey, searchDirectory } from './postgres.directory.search'

interface SourceRow {
  source: string
  source_id: string
  kind: string
  canonical: string
  doc: SourceEntry
  hash: string
  retrieved_at: string
  seen_at: string
  gone_at: string | null
}

/** What an import needs to know of a stored record to tell whether it changed. */
interface SourceState { canonical: string, hash: string, gone_at: string | null }

/** `DirectoryRepository` on the hub's PostgreSQL database. */
export class PostgresDirectoryRepository implements DirectoryRepository {
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async upsertSourceEntry (entry: SourceEntry): Promise<'added' | 'changed' | 'unchanged'> {
    return await this.write(async tx => await upsertOne(tx, entry, this.iso()))
  }

  async removeSourceEntry (source: string, sourceId: string): Promise<boolean> {
    return await this.write(async tx => {
      const row = (await tx.query<{ canonical: string }>('DELETE FROM directory_sources WHERE source = $1 AND source_id = $2 RETURNING canonical', [source, sourceId])).rows[0]
      if (!row) return false
      await remerge(tx, row.canonical)
      return true
    })
  }

  async importBatch (source: string, entries: SourceEntry[], options: { markMissingGone: boolean }): Promise<ImportReport> {
    for (const e of entries) {
      if (e.source !== source) throw new ValidationError(`Entry ${e.sourceId} belongs to source "${e.source}", not "${source}"`, { source: 'must be the batch source' })
    }
    return await this.write(async tx => {
      const now = this.iso()
      const report: ImportReport = { added: 0, changed: 0, unchanged: 0, gone: 0 }
      // One read of what the source holds instead of one query per record: most are unchanged.
      const stored = new Map((await tx.query<SourceState & { source_id: string }>(
        'SELECT source_id, canonical, hash, gone_at FROM directory_sources WHERE source = $1', [source])).rows.map(r => [r.source_id, r]))
      const inBatch = new Set<string>()
      for (const entry of entries) {
        if (inBatch.has(entry.sourceId)) throw new ValidationError(`Entry ${entry.sourceId} appears twice in one import of ${source}`, { sourceId: 'must be unique in a batch' })
        inBatch.add(entry.sourceId)
        report[await upsertOne(tx, entry, now, stored.get(entry.sourceId) ?? null)]++
      }
      if (options.markMissingGone) {
        for (const [sourceId, row] of stored) {
          if (row.gone_at !== null || inBatch.has(sourceId)) continue
          await tx.query('UPDATE directory_sources SET gone_at = $1 WHERE source = $2 AND source_id = $3', [now, source, sourceId])
          await remerge(tx, row.canonical)
          report.gone++
        }
      }
      return report
    })
  }

  async listSourceEntries (source: string): Promise<StoredSourceEntry[]> {
    const rows = await this.db.query<SourceRow>('SELECT * FROM directory_sources WHERE source = $1 ORDER BY source_id COLLATE "C"', [source])
    return rows.rows.map(row => ({ entry: row.doc, entryId: entryIdFor(row.canonical), retrievedAt: row.retrieved_at, goneAt: row.gone_at }))
  }

  async listEntrySources (entryId: string): Promise<StoredSourceEntry[]> {
    const rows = await this.db.query<SourceRow>(`SELECT s.* FROM directory_sources s JOIN directory_entries e ON e.canonical = s.canonical
      WHERE e.id = $1 AND s.gone_at IS NULL`, [entryId])
    const stored = rows.rows.map(row => ({ entry: row.doc, entryId, retrievedAt: row.retrieved_at, goneAt: null }))
    return stored.sort((a, b) => byPrecedence(a, b))
  }

  async listLiveSourceIds (source: string): Promise<string[]> {
    const rows = await this.db.query<{ source_id: string }>('SELECT source_id FROM directory_sources WHERE source = $1 AND gone_at IS NULL ORDER BY source_id COLLATE "C"', [source])
    return rows.rows.map(r => r.source_id)
  }

  async search (query: DirectoryQuery): Promise<DirectoryResultPage> {
    return await searchDirectory(this.db, query)
  }

  async getEntry (id: string): Promise<DirectoryEntry | null> {
    const row = (await this.db.query<{ doc: DirectoryEntry }>('SELECT doc FROM directory_entries WHERE id = $1', [id])).rows[0]
    return row ? row.doc : null
  }

  async getEntryByActor (actorId: string): Promise<DirectoryEntry | null> {
    const row = (await this.db.query<{ doc: DirectoryEntry }>(`
      SELECT e.doc FROM directory_sources s JOIN directory_entries e ON e.canonical = s.canonical
      WHERE s.source_id = $1 AND s.kind IN ('local', 'federated') AND s.gone_at IS NULL LIMIT 1`, [actorId])).rows[0]
    return row ? row.doc : null
  }

  async listEntries (): Promise<DirectoryEntry[]> {
    return (await this.db.query<{ doc: DirectoryEntry }>('SELECT doc FROM directory_entries ORDER BY id')).rows.map(r => r.doc)
  }

  async version (): Promise<number> {
    return (await this.db.query<{ version: number }>('SELECT version FROM directory_state WHERE id = 1')).rows[0]?.version ?? 0
  }

  async purgeGone (source: string, goneBefore: string): Promise<number> {
    // Gone records are already left out of the merge, so deleting them changes no entry.
    return (await this.db.query('DELETE FROM directory_sources WHERE source = $1 AND gone_at IS NOT NULL AND gone_at < $2', [source, goneBefore])).rowCount ?? 0
  }

  async removeSource (source: string): Promise<number> {
    return await this.write(async tx => {
      const removed = (await tx.query<{ canonical: string }>('DELETE FROM directory_sources WHERE source = $1 RETURNING canonical', [source])).rows
      for (const canonical of new Set(removed.map(r => r.canonical))) await remerge(tx, canonical)
      return removed.length
    })
  }

  /** A directory write: one transaction, one writer at a time across every process. */
  private async write<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return await this.db.transaction(async tx => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('hub-directory'))")
      return await work(tx)
    })
  }

  private iso (): string {
    return new Date(this.now()).toISOString()
  }
}

/** Stores one record and re-merges the entries it leaves or joins. */
async function upsertOne (tx: Queryable, entry: SourceEntry, now: string, known?: SourceState | null): Promise<'added' | 'changed' | 'unchanged'> {
  const canonical = canonicalWebsite(entry.website)
  if (!canonical) {
    throw new ValidationError(`Entry ${entry.sourceId} of ${entry.source} has no usable website ("${entry.website}")`, { website: 'must be a web address or a urn' })
  }
  const doc = JSON.stringify(entry)
  const hash = crypto.createHash('sha256').update(doc).digest('hex')
  const existing = known === undefined
    ? (await tx.query<SourceState>('SELECT canonical, hash, gone_at FROM directory_sources WHERE source = $1 AND source_id = $2', [entry.source, entry.sourceId])).rows[0] ?? null
    : known
  // An unchanged record is not written at all (as on SQLite): `seen_at` is when an import last wrote it.
  if (existing && existing.hash === hash && existing.gone_at === null) return 'unchanged'
  await tx.query(`
    INSERT INTO directory_sources (source, source_id, kind, canonical, doc, hash, retrieved_at, seen_at, gone_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7, NULL)
    ON CONFLICT (source, source_id) DO UPDATE SET kind = excluded.kind, canonical = excluded.canonical, doc = excluded.doc,
      hash = excluded.hash, retrieved_at = excluded.retrieved_at, seen_at = excluded.seen_at, gone_at = NULL`,
  [entry.source, entry.sourceId, entry.kind, canonical, doc, hash, now])
  if (existing && existing.canonical !== canonical) await remerge(tx, existing.canonical)
  await remerge(tx, canonical)
  return existing ? 'changed' : 'added'
}

/** Rebuilds the merged entry of one canonical website from its live records, or removes it. */
async function remerge (tx: Queryable, canonical: string): Promise<void> {
  const rows = (await tx.query<SourceRow>('SELECT * FROM directory_sources WHERE canonical = $1 AND gone_at IS NULL ORDER BY source COLLATE "C", source_id COLLATE "C"', [canonical])).rows
  if (rows.length === 0) {
    const deleted = await tx.query('DELETE FROM directory_entries WHERE canonical = $1', [canonical])
    if (deleted.rowCount) await bumpVersion(tx)
    return
  }
  const entry = mergeSources(entryIdFor(canonical), rows.map(r => ({ entry: r.doc, retrievedAt: r.retrieved_at })))
  const doc = JSON.stringify(entry)
  // jsonb keeps its own key order: compare as documents, not as text.
  const same = (await tx.query('SELECT 1 FROM directory_entries WHERE canonical = $1 AND doc = $2::jsonb', [canonical, doc])).rowCount
  if (same) return
  const text = searchTextOf(entry)
  const facets = facetValues(entry).map(([facet, value]) => facetKey(facet, value))
  await tx.query(`
    INSERT INTO directory_entries (id, canonical, name_key, kind_rank, updated_at, doc, facets, name, summary, tags, services, place)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (canonical) DO UPDATE SET id = excluded.id, name_key = excluded.name_key, kind_rank = excluded.kind_rank,
      updated_at = excluded.updated_at, doc = excluded.doc, facets = excluded.facets, name = excluded.name, summary = excluded.summary,
      tags = excluded.tags, services = excluded.services, place = excluded.place`,
  [entry.id, canonical, nameKey(entry.name), kindRank(entry), entry.updatedAt, doc, facets, text.name, text.summary, text.tags, text.services, text.place])
  await bumpVersion(tx)
}

async function bumpVersion (tx: Queryable): Promise<void> {
  await tx.query('UPDATE directory_state SET version = version + 1 WHERE id = 1')
}

/** The key names sort by: case- and accent-insensitive (as on SQLite). */
function nameKey (name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim()
}
