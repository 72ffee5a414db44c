/**
 * Configured directory sources and their import state on SQLite.
 */
import type Database from 'better-sqlite3'
import type { JobCounts } from '../ports/jobs.port'
import type { CachedDocument, DocumentValidators, NewSource, SourceRecord, SourceRepository, SourceSuccess } from '../ports/sync-sources.port'

interface SourceRow {
  id: string
  format: string
  url: string
  name: string
  enabled: number
  created_at: string
  etag: string | null
  last_modified: string | null
  content_hash: string | null
  last_attempt_at: string | null
  last_success_at: string | null
  failures: number
  next_attempt_at: string | null
  last_error: string | null
  last_counts: string | null
}

/** `SourceRepository` on the hub's SQLite database. */
export class SqliteSourceRepository implements SourceRepository {
  constructor (private readonly db: Database.Database, private readonly now: () => number = Date.now) {}

  async add (source: NewSource): Promise<SourceRecord | null> {
    const result = this.db.prepare(`
      INSERT INTO sync_sources (id, format, url, name, enabled, created_at, failures)
      VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`)
      .run(source.id, source.format, source.url, source.name, source.enabled === false ? 0 : 1, this.iso())
    return result.changes === 1 ? this.get(source.id) : null
  }

  async get (id: string): Promise<SourceRecord | null> {
    const row = this.db.prepare<[string], SourceRow>('SELECT * FROM sync_sources WHERE id = ?').get(id)
    return row ? toRecord(row) : null
  }

  async list (): Promise<SourceRecord[]> {
    return this.db.prepare<[], SourceRow>('SELECT * FROM sync_sources ORDER BY id').all().map(toRecord)
  }

  async setEnabled (id: string, enabled: boolean): Promise<SourceRecord | null> {
    // Enabling again also lifts the back-off: the admin asks for a fresh try.
    const result = enabled
      ? this.db.prepare('UPDATE sync_sources SET enabled = 1, next_attempt_at = NULL WHERE id = ?').run(id)
      : this.db.prepare('UPDATE sync_sources SET enabled = 0 WHERE id = ?').run(id)
    return result.changes === 1 ? this.get(id) : null
  }

  async remove (id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM sync_sources WHERE id = ?').run(id).changes === 1
  }

  async documents (id: string): Promise<CachedDocument[]> {
    return this.db.prepare<[string], { url: string, etag: string | null, last_modified: string | null, content_type: string, body: string }>(
      'SELECT url, etag, last_modified, content_type, body FROM sync_documents WHERE source_id = ? ORDER BY rowid').all(id)
      .map(r => ({ url: r.url, etag: r.etag, lastModified: r.last_modified, contentType: r.content_type, body: r.body }))
  }

  async documentValidators (id: string): Promise<DocumentValidators[]> {
    return this.db.prepare<[string], { url: string, etag: string | null, last_modified: string | null, content_type: string }>(
      'SELECT url, etag, last_modified, content_type FROM sync_documents WHERE source_id = ? ORDER BY rowid').all(id)
      .map(r => ({ url: r.url, etag: r.etag, lastModified: r.last_modified, contentType: r.content_type }))
  }

  async recordSuccess (id: string, success: SourceSuccess): Promise<void> {
    const at = this.iso()
    this.db.transaction(() => {
      this.db.prepare(`
        UPDATE sync_sources SET etag = ?, last_modified = ?, content_hash = ?, last_attempt_at = ?, last_success_at = ?,
          failures = 0, next_attempt_at = NULL, last_error = NULL, last_counts = ? WHERE id = ?`)
        .run(success.etag, success.lastModified, success.contentHash, at, at, JSON.stringify(success.counts), id)
      if (!success.documents) return
      this.db.prepare('DELETE FROM sync_documents WHERE source_id = ?').run(id)
      const insert = this.db.prepare('INSERT OR REPLACE INTO sync_documents (source_id, url, etag, last_modified, content_type, body) VALUES (?, ?, ?, ?, ?, ?)')
      for (const d of success.documents) insert.run(id, d.url, d.etag, d.lastModified, d.contentType, d.body)
    })()
  }

  async recordFailure (id: string, failure: { error: string, nextAttemptAt: string }): Promise<void> {
    this.db.prepare(`
      UPDATE sync_sources SET last_attempt_at = ?, failures = failures + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`)
      .run(this.iso(), failure.nextAttemptAt, failure.error.slice(0, 2000), id)
  }

  private iso (): string {
    return new Date(this.now()).toISOString()
  }
}

function toRecord (row: SourceRow): SourceRecord {
  return {
    id: row.id,
    format: row.format,
    url: row.url,
    name: row.name,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    etag: row.etag,
    lastModified: row.last_modified,
    contentHash: row.content_hash,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    failures: row.failures,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastCounts: row.last_counts ? JSON.parse(row.last_counts) as JobCounts : null
  }
}
