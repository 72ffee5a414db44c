/**
 * Sibling reachability, NodeInfo and follow suggestions on SQLite.
 */
import type Database from 'better-sqlite3'
import type { SiblingRecord, SiblingRepository, SiblingSuggestion } from '../ports/siblings.port'

interface SiblingRow {
  actor_id: string
  software: string | null
  nodeinfo: string | null
  failures: number
  last_attempt_at: string | null
  last_success_at: string | null
  last_error: string | null
  unreachable_since: string | null
}

interface SuggestionRow {
  actor_id: string
  name: string | null
  via: string
  first_seen_at: string
  last_seen_at: string
  dismissed: number
}

/** `SiblingRepository` on the hub's SQLite database. */
export class SqliteSiblingRepository implements SiblingRepository {
  constructor (private readonly db: Database.Database, private readonly now: () => number = Date.now) {}

  async get (actorId: string): Promise<SiblingRecord | null> {
    const row = this.row(actorId)
    return row ? toSibling(row) : null
  }

  async list (): Promise<SiblingRecord[]> {
    return this.db.prepare<[], SiblingRow>('SELECT * FROM siblings ORDER BY actor_id').all().map(toSibling)
  }

  async recordSuccess (actorId: string, info: { nodeinfo: Record<string, unknown> | null, software: SiblingRecord['software'] }): Promise<SiblingRecord> {
    const at = this.iso()
    this.db.prepare(`
      INSERT INTO siblings (actor_id, software, nodeinfo, failures, last_attempt_at, last_success_at, last_error, unreachable_since)
      VALUES (@actorId, @software, @nodeinfo, 0, @at, @at, NULL, NULL)
      ON CONFLICT (actor_id) DO UPDATE SET software = @software, nodeinfo = @nodeinfo, failures = 0, last_attempt_at = @at,
        last_success_at = @at, last_error = NULL, unreachable_since = NULL`)
      .run({ actorId, software: info.software ? JSON.stringify(info.software) : null, nodeinfo: info.nodeinfo ? JSON.stringify(info.nodeinfo) : null, at })
    return toSibling(this.row(actorId) as SiblingRow)
  }

  async recordFailure (actorId: string, error: string, unreachableAfter: number): Promise<SiblingRecord> {
    const at = this.iso()
    return this.db.transaction(() => {
      this.db.prepare(`
        INSERT INTO siblings (actor_id, failures, last_attempt_at, last_error) VALUES (@actorId, 1, @at, @error)
        ON CONFLICT (actor_id) DO UPDATE SET failures = failures + 1, last_attempt_at = @at, last_error = @error`)
        .run({ actorId, at, error: error.slice(0, 2000) })
      this.db.prepare('UPDATE siblings SET unreachable_since = ? WHERE actor_id = ? AND failures >= ? AND unreachable_since IS NULL')
        .run(at, actorId, unreachableAfter)
      return toSibling(this.row(actorId) as SiblingRow)
    })()
  }

  async suggest (actorId: string, name: string | null, via: string): Promise<'added' | 'updated'> {
    return this.db.transaction(() => {
      const at = this.iso()
      const existing = this.db.prepare<[string], SuggestionRow>('SELECT * FROM sibling_suggestions WHERE actor_id = ?').get(actorId)
      if (!existing) {
        this.db.prepare('INSERT INTO sibling_suggestions (actor_id, name, via, first_seen_at, last_seen_at, dismissed) VALUES (?, ?, ?, ?, ?, 0)')
          .run(actorId, name, JSON.stringify([via]), at, at)
        return 'added' as const
      }
      const vias = new Set(JSON.parse(existing.via) as string[]).add(via)
      this.db.prepare('UPDATE sibling_suggestions SET name = COALESCE(?, name), via = ?, last_seen_at = ? WHERE actor_id = ?')
        .run(name, JSON.stringify([...vias].sort()), at, actorId)
      return 'updated' as const
    })()
  }

  async removeSuggestion (actorId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM sibling_suggestions WHERE actor_id = ?').run(actorId).changes === 1
  }

  async listSuggestions (options: { includeDismissed: boolean }): Promise<SiblingSuggestion[]> {
    const sql = options.includeDismissed
      ? 'SELECT * FROM sibling_suggestions ORDER BY actor_id'
      : 'SELECT * FROM sibling_suggestions WHERE dismissed = 0 ORDER BY actor_id'
    return this.db.prepare<[], SuggestionRow>(sql).all().map(toSuggestion)
  }

  async dismissSuggestion (actorId: string): Promise<boolean> {
    return this.db.prepare('UPDATE sibling_suggestions SET dismissed = 1 WHERE actor_id = ?').run(actorId).changes === 1
  }

  private row (actorId: string): SiblingRow | undefined {
    return this.db.prepare<[string], SiblingRow>('SELECT * FROM siblings WHERE actor_id = ?').get(actorId)
  }

  private iso (): string {
    return new Date(this.now()).toISOString()
  }
}

function toSibling (row: SiblingRow): SiblingRecord {
  return {
    actorId: row.actor_id,
    software: row.software ? JSON.parse(row.software) : null,
    nodeinfo: row.nodeinfo ? JSON.parse(row.nodeinfo) : null,
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
    via: JSON.parse(row.via) as string[],
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    dismissed: row.dismissed === 1
  }
}
