/**
 * Configured directory sources and their import state on PostgreSQL.
 */
import type { JobCounts } from '../ports/jobs.port'
import type { CachedDocument, DocumentValidators, NewSource, SourceRecord, SourceRepository, SourceSuccess } from '../ports/sync-sources.port'
import type { PostgresDatabase } from './postgres-database'

interface SourceRow {
  id: string
  format: string
  url: string
  name: string
  enabled: boolean
  created_at: string
  etag: string | null
  last_modified: string | null
  content_hash: string | null
  last_attempt_at: string | null
  last_success_at: string | null
  failures: number
  next_attempt_at: string | null
  last_error: string | null
  last_counts: JobCounts | null
}

/** `SourceRepository` on the hub's PostgreSQL database. */
export class PostgresSourceRepository implements SourceRepository {
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async add (source: NewSource): Promise<SourceRecord | null> {
    const result = await this.db.query<SourceRow>(`
      INSERT INTO sync_sources (id, format, url, name, enabled, created_at, failures)
      VALUES ($1, $2, $3, $4, $5, $6, 0) ON CONFLICT DO NOTHING RETURNING *`,
    [source.id, source.format, source.url, source.name, source.enabled !== false, this.iso()])
    return result.rows[0] ? toRecord(result.rows[0]) : null
  }

  async get (id: string): Promise<SourceRecord | null> {
    const row = (await this.db.query<SourceRow>('SELECT * FROM sync_sources WHERE id = $1', [id])).rows[0]
    return row ? toRecord(row) : null
  }

  async list (): Promise<SourceRecord[]> {
    return (await this.db.query<SourceRow>('SELECT * FROM sync_sources ORDER BY id')).rows.map(toRecord)
  }

  async setEnabled (id: string, enabled: boolean): Promise<SourceRecord | null> {
    // Enabling again also lifts the back-off: the admin asks for a fresh try.
    const result = enabled
      ? await this.db.query<SourceRow>('UPDATE sync_sources SET enabled = true, next_attempt_at = NULL WHERE id = $1 RETURNING *', [id])
      : await this.db.query<SourceRow>('UPDATE sync_sources SET enabled = false WHERE id = $1 RETURNING *', [id])
    return result.rows[0] ? toRecord(result.rows[0]) : null
  }

  async remove (id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM sync_sources WHERE id = $1', [id])).rowCount === 1
  }

  async documents (id: string): Promise<CachedDocument[]> {
    const rows = await this.db.query<{ url: string, etag: string | null, last_modified: string | null, content_type: string, body: string }>(
      'SELECT url, etag, last_modified, content_type, body FROM sync_documents WHERE source_id = $1 ORDER BY position', [id])
    return rows.rows.map(r => ({ url: r.url, etag: r.etag, lastModified: r.last_modified, contentType: r.content_type, body: r.body }))
  }

  async documentValidators (id: string): Promise<DocumentValidators[]> {
    const rows = await this.db.query<{ url: string, etag: string | null, last_modified: string | null, content_type: string }>(
      'SELECT url, etag, last_modified, content_type FROM sync_documents WHERE source_id = $1 ORDER BY position', [id])
    return rows.rows.map(r => ({ url: r.url, etag: r.etag, lastModified: r.last_modified, contentType: r.content_type }))
  }

  async recordSuccess (id: string, success: SourceSuccess): Promise<void> {
    const at = this.iso()
    await this.db.transaction(async tx => {
      await tx.query(`
        UPDATE sync_sources SET etag = $1, last_modified = $2, content_hash = $3, last_attempt_at = $4, last_success_at = $4,
          failures = 0, next_attempt_at = NULL, last_error = NULL, last_counts = $5 WHERE id = $6`,
      [success.etag, success.lastModified, success.contentHash, at, JSON.stringify(success.counts), id])
      if (!success.documents) return
      await tx.query('DELETE FROM sync_documents WHERE source_id = $1', [id])
      for (const [position, d] of success.documents.entries()) {
        await tx.query(`INSERT INTO sync_documents (source_id, url, position, etag, last_modified, content_type, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (source_id, url) DO UPDATE SET position = excluded.position, etag = excluded.etag, last_modified = excluded.last_modified,
            content_type = excluded.content_type, body = excluded.body`,
        [id, d.url, position, d.etag, d.lastModified, d.contentType, d.body])
      }
    })
  }

  async recordFailure (id: string, failure: { error: string, nextAttemptAt: string }): Promise<void> {
    await this.db.query('UPDATE sync_sources SET last_attempt_at = $1, failures = failures + 1, next_attempt_at = $2, last_error = $3 WHERE id = $4',
      [this.iso(), failure.nextAttemptAt, failure.error.slice(0, 2000), id])
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
    enabled: row.enabled,
    createdAt: row.created_at,
    etag: row.etag,
    lastModified: row.last_modified,
    contentHash: row.content_hash,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    failures: row.failures,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastCounts: row.last_counts
  }
}
