/**
 * Sibling reachability, NodeInfo and follow suggestions on PostgreSQL.
 */
import type { SiblingRecord, SiblingRepository, SiblingSuggestion } from '../ports/siblings.port'
import type { PostgresDatabase } from './postgres-database'

interface SiblingRow {
  actor_id: string
  software: SiblingRecord['software']
  nodeinfo: Record<string, unknown> | null
  failures: number
  last_attempt_at: string | null
  last_success_at: string | null
  last_error: string | null
  unreachable_since: string | null
}

interface SuggestionRow {
  actor_id: string
  name: string | null
  via: string[]
  first_seen_at: string
  last_seen_at: string
  dismissed: boolean
}

/** `SiblingRepository` on the hub's PostgreSQL database. */
export class PostgresSiblingRepository implements SiblingRepository {
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async get (actorId: string): Promise<SiblingRecord | null> {
    const row = (await this.db.query<SiblingRow>('SELECT * FROM siblings WHERE actor_id = $1', [actorId])).rows[0]
    return row ? toSibling(row) : null
  }

  async list (): Promise<SiblingRecord[]> {
    return (await this.db.query<SiblingRow>('SELECT * FROM siblings ORDER BY actor_id')).rows.map(toSibling)
  }

  async recordSuccess (actorId: string, info: { nodeinfo: Record<string, unknown> | null, software: SiblingRecord['software'] }): Promise<SiblingRecord> {
    const row = await this.db.query<SiblingRow>(`
      INSERT INTO siblings (actor_id, software, nodeinfo, failures, last_attempt_at, last_success_at, last_error, unreachable_since)
      VALUES ($1, $2, $3, 0, $4, $4, NULL, NULL)
      ON CONFLICT (actor_id) DO UPDATE SET software = excluded.software, nodeinfo = excluded.nodeinfo, failures = 0,
        last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at, last_error = NULL, unreachable_since = NULL
      RETURNING *`,
    [actorId, info.software ? JSON.stringify(info.software) : null, info.nodeinfo ? JSON.stringify(info.nodeinfo) : null, this.iso()])
    return toSibling(row.rows[0])
  }

  async recordFailure (actorId: string, error: string, unreachableAfter: number): Promise<SiblingRecord> {
    // One statement: the count and the threshold are decided on the row as it is written.
    const row = await this.db.query<SiblingRow>(`
      INSERT INTO siblings (actor_id, failures, last_attempt_at, last_error, unreachable_since)
      VALUES ($1, 1, $2, $3, CASE WHEN 1 >= $4 THEN $2::timestamptz END)
      ON CONFLICT (actor_id) DO UPDATE SET failures = siblings.failures + 1, last_attempt_at = excluded.last_attempt_at,
        last_error = excluded.last_error,
        unreachable_since = COALESCE(siblings.unreachable_since, CASE WHEN siblings.failures + 1 >= $4 THEN excluded.last_attempt_at END)
      RETURNING *`,
    [actorId, this.iso(), error.slice(0, 2000), unreachableAfter])
    return toSibling(row.rows[0])
  }

  async suggest (actorId: string, name: string | null, via: string): Promise<'added' | 'updated'> {
    return await this.db.transaction(async tx => {
      const at = this.iso()
      const inserted = await tx.query(`INSERT INTO sibling_suggestions (actor_id, name, via, first_seen_at, last_seen_at, dismissed)
        VALUES ($1, $2, $3, $4, $4, false) ON CONFLICT (actor_id) DO NOTHING`, [actorId, name, JSON.stringify([via]), at])
      if (inserted.rowCount === 1) return 'added' as const
      const existing = (await tx.query<SuggestionRow>('SELECT * FROM sibling_suggestions WHERE actor_id = $1 FOR UPDATE', [actorId])).rows[0]
      const vias = new Set(existing.via).add(via)
      await tx.query('UPDATE sibling_suggestions SET name = COALESCE($1, name), via = $2, last_seen_at = $3 WHERE actor_id = $4',
        [name, JSON.stringify([...vias].sort()), at, actorId])
      return 'updated' as const
    })
  }

  async removeSuggestion (actorId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM sibling_suggestions WHERE actor_id = $1', [actorId])).rowCount === 1
  }

  async listSuggestions (options: { includeDismissed: boolean }): Promise<SiblingSuggestion[]> {
    const sql = options.includeDismissed
      ? 'SELECT * FROM sibling_suggestions ORDER BY actor_id'
      : 'SELECT * FROM sibling_suggestions WHERE NOT dismissed ORDER BY actor_id'
    return (await this.db.query<SuggestionRow>(sql)).rows.map(toSuggestion)
  }

  async dismissSuggestion (actorId: string): Promise<boolean> {
    return (await this.db.query('UPDATE sibling_suggestions SET dismissed = true WHERE actor_id = $1', [actorId])).rowCount === 1
  }

  private iso (): string {
    return new Date(this.now()).toISOString()
  }
}

function toSibling (row: SiblingRow): SiblingRecord {
  return {
    actorId: row.actor_id,
    software: row.software,
    nodeinfo: row.nodeinfo,
    failures: row.failures,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    unreachableSince: row.unreachable_since
  }
}

function toSuggestion (row: SuggestionRow): SiblingSuggestion {
  return {
    actorId: row.actor_id,
    name: row.name,
    via: row.via,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    dismissed: row.dismissed
  }
}
