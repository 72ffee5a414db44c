/**
 * The directory on PostgreSQL: source records and merged entries (with their facet keys and
 * search text), kept in step inside one transaction per change. Directory writes take one
 * transaction-scoped advisory lock, so two processes never merge the same website at once.
 */
import { ValidationError } from '../../errors/app-errors'
import { entryIdFor } from '../../domain/directory/canonical-url'
import { byPrecedence } from '../../domain/directory/merge'
import type {
  DirectoryEntry, DirectoryQuery, DirectoryRepository, DirectoryResultPage, ImportReport, SourceEntry, StoredSourceEntry
} from '../ports/directory.port'
import type { PostgresDatabase, Queryable } from './postgres-database'
import { searchDirectory } from './postgres.directory.search'
import { markRecordsGone, prepareRecord, PreparedRecord, remergeAll, writeRecords } from './postgres.directory-writes'

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
    return await this.write(async tx => {
      const record = prepareRecord(entry)
      const existing = (await tx.query<SourceState>('SELECT canonical, hash, gone_at FROM directory_sources WHERE source = $1 AND source_id = $2', [entry.source, entry.sourceId])).rows[0] ?? null
      const outcome = outcomeOf(record, existing)
      if (outcome === 'unchanged') return outcome
      await writeRecords(tx, [record], this.iso())
      await remergeAll(tx, existing ? [existing.canonical, record.canonical] : [record.canonical])
      return outcome
    })
  }

  async removeSourceEntry (source: string, sourceId: string): Promise<boolean> {
    return await this.write(async tx => {
      const row = (await tx.query<{ canonical: string }>('DELETE FROM directory_sources WHERE source = $1 AND source_id = $2 RETURNING canonical', [source, sourceId])).rows[0]
      if (!row) return false
      await remergeAll(tx, [row.canonical])
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
      const writes: PreparedRecord[] = []
      // The merged entries to rebuild: each once, after every record is written.
      const touched = new Set<string>()
      for (const entry of entries) {
        if (inBatch.has(entry.sourceId)) throw new ValidationError(`Entry ${entry.sourceId} appears twice in one import of ${source}`, { sourceId: 'must be unique in a batch' })
        inBatch.add(entry.sourceId)
        const record = prepareRecord(entry)
        const existing = stored.get(entry.sourceId) ?? null
        const outcome = outcomeOf(record, existing)
        report[outcome]++
        if (outcome === 'unchanged') continue
        writes.push(record)
        if (existing) touched.add(existing.canonical)
        touched.add(record.canonical)
      }
      await writeRecords(tx, writes, now)
      if (options.markMissingGone) {
        const gone = [...stored].filter(([sourceId, row]) => row.gone_at === null && !inBatch.has(sourceId))
        await markRecordsGone(tx, source, gone.map(([sourceId]) => sourceId), now)
        for (const [, row] of gone) touched.add(row.canonical)
        report.gone += gone.length
      }
      await remergeAll(tx, touched)
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
      await remergeAll(tx, removed.map(r => r.canonical))
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

/** Whether storing a record adds, changes or leaves unchanged what is stored (a gone record that is back is changed). */
function outcomeOf (record: PreparedRecord, existing: SourceState | null): 'added' | 'changed' | 'unchanged' {
  // An unchanged record is not written at all (as on SQLite): `seen_at` is when an import last wrote it.
  if (existing && existing.hash === record.hash && existing.gone_at === null) return 'unchanged'
  return existing ? 'changed' : 'added'
}
