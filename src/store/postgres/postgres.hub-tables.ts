/**
 * The hub's own records on PostgreSQL: co-ops, API tokens, hosted services, follows and settings.
 * The service writers also take a connection, so the outbox's transaction can use them.
 */
import type {
  CoopRecord, FollowPolicy, FollowRequest, FollowState, OutgoingFollow, ServiceRecord, TokenRecord
} from '../store.port'
import type { PostgresDatabase, Queryable } from './postgres-database'

interface CoopRow { username: string, actor_id: string, follow_policy: string, created_at: string }
interface TokenRow { hash: string, scope: string, label: string, created_at: string }
interface ServiceRow { id: string, actor_id: string, category: string, local: boolean, doc: Record<string, unknown>, updated_at: string }
interface OutgoingFollowRow { follow_id: string, local_actor_id: string, target_actor_id: string, state: string, updated_at: string }
interface FollowRequestRow { follow_id: string, local_actor_id: string, remote_actor_id: string, state: string, received_at: string }

/** Co-ops, tokens, services, follows, follow requests and settings on the hub's database. */
export class PostgresHubTables {
  /** `now` (ms) stamps follow state changes. */
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number) {}

  /** See `HubQueries.saveCoop`: insert-only; a taken username or actor throws. */
  async saveCoop (coop: CoopRecord): Promise<void> {
    await this.db.query('INSERT INTO coops (username, actor_id, follow_policy, created_at) VALUES ($1, $2, $3, $4)',
      [coop.username, coop.actorId, coop.followPolicy, coop.createdAt])
  }

  /** See `HubQueries.getCoop`. */
  async getCoop (username: string): Promise<CoopRecord | null> {
    return toCoop((await this.db.query<CoopRow>('SELECT * FROM coops WHERE username = $1', [username])).rows[0])
  }

  /** See `HubQueries.getCoopByActorId`. */
  async getCoopByActorId (actorId: string): Promise<CoopRecord | null> {
    return toCoop((await this.db.query<CoopRow>('SELECT * FROM coops WHERE actor_id = $1', [actorId])).rows[0])
  }

  /** See `HubQueries.listCoops` (by username, byte order as on SQLite). */
  async listCoops (): Promise<CoopRecord[]> {
    return (await this.db.query<CoopRow>('SELECT * FROM coops ORDER BY username COLLATE "C"')).rows.map(r => toCoop(r) as CoopRecord)
  }

  /** See `HubQueries.setFollowPolicy`. */
  async setFollowPolicy (username: string, policy: FollowPolicy): Promise<void> {
    await this.db.query('UPDATE coops SET follow_policy = $1 WHERE username = $2', [policy, username])
  }

  /** See `HubQueries.deleteCoop`: the record and every token acting for it, in one transaction. */
  async deleteCoop (username: string): Promise<boolean> {
    return await this.db.transaction(async tx => {
      const coop = (await tx.query<{ actor_id: string }>('DELETE FROM coops WHERE username = $1 RETURNING actor_id', [username])).rows[0]
      if (coop === undefined) return false
      await tx.query('DELETE FROM tokens WHERE scope = $1', [coop.actor_id])
      return true
    })
  }

  /** See `HubQueries.saveToken`: insert-only; a duplicate hash throws. */
  async saveToken (token: TokenRecord): Promise<void> {
    await this.db.query('INSERT INTO tokens (hash, scope, label, created_at) VALUES ($1, $2, $3, $4)', [token.hash, token.scope, token.label, token.createdAt])
  }

  /** See `HubQueries.findToken`. */
  async findToken (hash: string): Promise<TokenRecord | null> {
    const row = (await this.db.query<TokenRow>('SELECT * FROM tokens WHERE hash = $1', [hash])).rows[0]
    return row === undefined ? null : { hash: row.hash, scope: row.scope, label: row.label, createdAt: row.created_at }
  }

  /** See `HubQueries.getService`. */
  async getService (id: string): Promise<ServiceRecord | null> {
    const row = (await this.db.query<ServiceRow>('SELECT * FROM services WHERE id = $1', [id])).rows[0]
    return row === undefined ? null : toService(row)
  }

  /** See `HubQueries.listServices` (newest first). */
  async listServices (filter: { actorId?: string, category?: string, local?: boolean }): Promise<ServiceRecord[]> {
    const rows = await this.db.query<ServiceRow>(`SELECT * FROM services
      WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR category = $2) AND ($3::boolean IS NULL OR local = $3)
      ORDER BY updated_at DESC, id COLLATE "C"`, [filter.actorId ?? null, filter.category ?? null, filter.local ?? null])
    return rows.rows.map(toService)
  }

  /** See `HubQueries.saveOutgoingFollow` (upsert by follow id). */
  async saveOutgoingFollow (f: OutgoingFollow): Promise<void> {
    await this.db.query(`INSERT INTO outgoing_follows (follow_id, local_actor_id, target_actor_id, state, updated_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (follow_id) DO UPDATE SET local_actor_id = excluded.local_actor_id, target_actor_id = excluded.target_actor_id,
        state = excluded.state, updated_at = excluded.updated_at`, [f.followId, f.localActorId, f.targetActorId, f.state, f.updatedAt])
  }

  /** See `HubQueries.setOutgoingFollowState`; stamps `updatedAt`. */
  async setOutgoingFollowState (followId: string, state: FollowState): Promise<boolean> {
    const result = await this.db.query('UPDATE outgoing_follows SET state = $1, updated_at = $2 WHERE follow_id = $3',
      [state, new Date(this.now()).toISOString(), followId])
    return result.rowCount === 1
  }

  /** See `HubQueries.findOutgoingFollow`: the latest of the pair. */
  async findOutgoingFollow (localActorId: string, targetActorId: string): Promise<OutgoingFollow | null> {
    const row = (await this.db.query<OutgoingFollowRow>(`SELECT * FROM outgoing_follows WHERE local_actor_id = $1 AND target_actor_id = $2
      ORDER BY updated_at DESC, follow_id COLLATE "C" DESC LIMIT 1`, [localActorId, targetActorId])).rows[0]
    return row === undefined ? null : toOutgoingFollow(row)
  }

  /** See `HubQueries.listOutgoingFollows` (newest first). */
  async listOutgoingFollows (localActorId?: string): Promise<OutgoingFollow[]> {
    const rows = await this.db.query<OutgoingFollowRow>(`SELECT * FROM outgoing_follows WHERE ($1::text IS NULL OR local_actor_id = $1)
      ORDER BY updated_at DESC, follow_id COLLATE "C"`, [localActorId ?? null])
    return rows.rows.map(toOutgoingFollow)
  }

  /** See `HubQueries.deleteOutgoingFollow`. */
  async deleteOutgoingFollow (followId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM outgoing_follows WHERE follow_id = $1', [followId])).rowCount === 1
  }

  /** See `HubQueries.isFollowedByAnyCoop`. */
  async isFollowedByAnyCoop (actorId: string): Promise<boolean> {
    return ((await this.db.query("SELECT 1 FROM outgoing_follows WHERE target_actor_id = $1 AND state = 'accepted' LIMIT 1", [actorId])).rowCount ?? 0) > 0
  }

  /** See `HubQueries.saveFollowRequest` (upsert by follow id). */
  async saveFollowRequest (r: FollowRequest): Promise<void> {
    await this.db.query(`INSERT INTO follow_requests (follow_id, local_actor_id, remote_actor_id, state, received_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (follow_id) DO UPDATE SET local_actor_id = excluded.local_actor_id, remote_actor_id = excluded.remote_actor_id,
        state = excluded.state, received_at = excluded.received_at`, [r.followId, r.localActorId, r.remoteActorId, r.state, r.receivedAt])
  }

  /** See `HubQueries.getFollowRequest`. */
  async getFollowRequest (followId: string): Promise<FollowRequest | null> {
    const row = (await this.db.query<FollowRequestRow>('SELECT * FROM follow_requests WHERE follow_id = $1', [followId])).rows[0]
    return row === undefined ? null : toFollowRequest(row)
  }

  /** See `HubQueries.setFollowRequestState`. */
  async setFollowRequestState (followId: string, state: FollowState): Promise<boolean> {
    return (await this.db.query('UPDATE follow_requests SET state = $1 WHERE follow_id = $2', [state, followId])).rowCount === 1
  }

  /** See `HubQueries.listFollowRequests` (oldest first). */
  async listFollowRequests (localActorId: string, state?: FollowState): Promise<FollowRequest[]> {
    const rows = await this.db.query<FollowRequestRow>(`SELECT * FROM follow_requests WHERE local_actor_id = $1 AND ($2::text IS NULL OR state = $2)
      ORDER BY received_at, follow_id COLLATE "C"`, [localActorId, state ?? null])
    return rows.rows.map(toFollowRequest)
  }

  /** See `HubQueries.getSetting`. */
  async getSetting (key: string): Promise<string | null> {
    return (await this.db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0]?.value ?? null
  }

  /** See `HubQueries.setSetting`. */
  async setSetting (key: string, value: string): Promise<void> {
    await this.db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value])
  }

  /** See `HubQueries.claimSetting`: a concurrent insert of the same key waits for the first to commit, then does nothing. */
  async claimSetting (key: string, value: string): Promise<string> {
    await this.db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value])
    return (await this.getSetting(key)) ?? value
  }
}

/** See `HubQueries.upsertService`, on the pool or inside the caller's transaction (the outbox's). */
export async function upsertServiceOn (db: Queryable, s: ServiceRecord): Promise<'created' | 'updated'> {
  // xmax is 0 on a freshly inserted row version: tells an insert from an update in one statement.
  const row = (await db.query<{ created: boolean }>(`INSERT INTO services (id, actor_id, category, local, doc, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (id) DO UPDATE SET actor_id = excluded.actor_id, category = excluded.category, local = excluded.local, doc = excluded.doc,
      updated_at = excluded.updated_at
    RETURNING (xmax = 0) AS created`, [s.id, s.actorId, s.category, s.local, JSON.stringify(s.object), s.updatedAt])).rows[0]
  return row.created ? 'created' : 'updated'
}

/** See `HubQueries.deleteService`, on the pool or inside the caller's transaction. */
export async function deleteServiceOn (db: Queryable, id: string): Promise<boolean> {
  return (await db.query('DELETE FROM services WHERE id = $1', [id])).rowCount === 1
}

function toCoop (row: CoopRow | undefined): CoopRecord | null {
  if (row === undefined) return null
  return { username: row.username, actorId: row.actor_id, followPolicy: row.follow_policy as FollowPolicy, createdAt: row.created_at }
}

function toService (row: ServiceRow): ServiceRecord {
  return { id: row.id, actorId: row.actor_id, category: row.category, local: row.local, object: row.doc, updatedAt: row.updated_at }
}

function toOutgoingFollow (row: OutgoingFollowRow): OutgoingFollow {
  return { followId: row.follow_id, localActorId: row.local_actor_id, targetActorId: row.target_actor_id, state: row.state as FollowState, updatedAt: row.updated_at }
}

function toFollowRequest (row: FollowRequestRow): FollowRequest {
  return { followId: row.follow_id, localActorId: row.local_actor_id, remoteActorId: row.remote_actor_id, state: row.state as FollowState, receivedAt: row.received_at }
}
