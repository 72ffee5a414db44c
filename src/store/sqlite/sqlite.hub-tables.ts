/**
 * The hub's own records on SQLite: co-ops, API tokens, hosted services, follows and settings.
 */
import type Database from 'better-sqlite3'
import type {
  CoopRecord, FollowPolicy, FollowRequest, FollowState, OutgoingFollow, ServiceRecord, TokenRecord
} from '../store.port'
import { parseObject } from './apex-node-codec'

interface CoopRow { username: string, actor_id: string, follow_policy: string, created_at: string }
interface TokenRow { hash: string, scope: string, label: string, created_at: string }
interface ServiceRow { id: string, actor_id: string, category: string, local: number, doc: string, updated_at: string }
interface OutgoingFollowRow { follow_id: string, local_actor_id: string, target_actor_id: string, state: string, updated_at: string }
interface FollowRequestRow { follow_id: string, local_actor_id: string, remote_actor_id: string, state: string, received_at: string }

/** Co-ops, tokens, services, follows and settings. */
export class SqliteHubTables {
  private readonly insertCoop
  private readonly coopByUsername
  private readonly coopByActorId
  private readonly allCoops
  private readonly updateFollowPolicy
  private readonly removeCoop
  private readonly removeTokensOf
  private readonly removeOutgoingFollow
  private readonly insertToken
  private readonly tokenByHash
  private readonly insertService
  private readonly updateService
  private readonly serviceById
  private readonly removeService
  private readonly filterServices
  private readonly upsertOutgoingFollow
  private readonly updateOutgoingFollowState
  private readonly outgoingFollowByPair
  private readonly outgoingFollows
  private readonly acceptedFollowOf
  private readonly upsertFollowRequest
  private readonly followRequestById
  private readonly updateFollowRequestState
  private readonly followRequests
  private readonly settingByKey
  private readonly upsertSetting
  private readonly insertSettingIfAbsent

  /** Prepares every statement once; `now` (ms) stamps follow state changes. */
  constructor (private readonly db: Database.Database, private readonly now: () => number) {
    this.insertCoop = db.prepare<[string, string, string, string]>(
      'INSERT INTO coops (username, actor_id, follow_policy, created_at) VALUES (?, ?, ?, ?)')
    this.coopByUsername = db.prepare<[string], CoopRow>('SELECT * FROM coops WHERE username = ?')
    this.coopByActorId = db.prepare<[string], CoopRow>('SELECT * FROM coops WHERE actor_id = ?')
    this.allCoops = db.prepare<[], CoopRow>('SELECT * FROM coops ORDER BY username')
    this.updateFollowPolicy = db.prepare<[string, string]>('UPDATE coops SET follow_policy = ? WHERE username = ?')
    this.removeCoop = db.prepare<[string]>('DELETE FROM coops WHERE username = ?')
    this.removeTokensOf = db.prepare<[string]>('DELETE FROM tokens WHERE scope = ?')
    this.removeOutgoingFollow = db.prepare<[string]>('DELETE FROM outgoing_follows WHERE follow_id = ?')

    this.insertToken = db.prepare<[string, string, string, string]>(
      'INSERT INTO tokens (hash, scope, label, created_at) VALUES (?, ?, ?, ?)')
    this.tokenByHash = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ?')

    this.insertService = db.prepare<[string, string, string, number, string, string]>(
      `INSERT INTO services (id, actor_id, category, local, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`)
    this.updateService = db.prepare<[string, string, number, string, string, string]>(
      'UPDATE services SET actor_id = ?, category = ?, local = ?, doc = ?, updated_at = ? WHERE id = ?')
    this.serviceById = db.prepare<[string], ServiceRow>('SELECT * FROM services WHERE id = ?')
    this.removeService = db.prepare<[string]>('DELETE FROM services WHERE id = ?')
    // A NULL parameter means "no filter" for that column.
    this.filterServices = db.prepare<{ actorId: string | null, category: string | null, local: number | null }, ServiceRow>(
      `SELECT * FROM services
       WHERE (:actorId IS NULL OR actor_id = :actorId)
         AND (:category IS NULL OR category = :category)
         AND (:local IS NULL OR local = :local)
       ORDER BY updated_at DESC, id`)

    this.upsertOutgoingFollow = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO outgoing_follows (follow_id, local_actor_id, target_actor_id, state, updated_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(follow_id) DO UPDATE SET local_actor_id = excluded.local_actor_id,
         target_actor_id = excluded.target_actor_id, state = excluded.state, updated_at = excluded.updated_at`)
    this.updateOutgoingFollowState = db.prepare<[string, string, string]>(
      'UPDATE outgoing_follows SET state = ?, updated_at = ? WHERE follow_id = ?')
    // The newest follow of a pair wins: a re-follow after a rejection gets a new follow id.
    this.outgoingFollowByPair = db.prepare<[string, string], OutgoingFollowRow>(
      `SELECT * FROM outgoing_follows WHERE local_actor_id = ? AND target_actor_id = ?
       ORDER BY updated_at DESC, rowid DESC LIMIT 1`)
    this.outgoingFollows = db.prepare<{ localActorId: string | null }, OutgoingFollowRow>(
      `SELECT * FROM outgoing_follows WHERE (:localActorId IS NULL OR local_actor_id = :localActorId)
       ORDER BY updated_at DESC, follow_id`)
    this.acceptedFollowOf = db.prepare<[string], { found: number }>(
      "SELECT 1 AS found FROM outgoing_follows WHERE target_actor_id = ? AND state = 'accepted' LIMIT 1")

    this.upsertFollowRequest = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO follow_requests (follow_id, local_actor_id, remote_actor_id, state, received_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(follow_id) DO UPDATE SET local_actor_id = excluded.local_actor_id,
         remote_actor_id = excluded.remote_actor_id, state = excluded.state, received_at = excluded.received_at`)
    this.followRequestById = db.prepare<[string], FollowRequestRow>('SELECT * FROM follow_requests WHERE follow_id = ?')
    this.updateFollowRequestState = db.prepare<[string, string]>('UPDATE follow_requests SET state = ? WHERE follow_id = ?')
    // Oldest first: requests are worked through in the order they arrived.
    this.followRequests = db.prepare<{ localActorId: string, state: string | null }, FollowRequestRow>(
      `SELECT * FROM follow_requests WHERE local_actor_id = :localActorId AND (:state IS NULL OR state = :state)
       ORDER BY received_at, follow_id`)

    this.settingByKey = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    this.insertSettingIfAbsent = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING')
    this.upsertSetting = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
  }

  /** See `HubQueries.saveCoop`: insert-only; a taken username or actor id throws. */
  saveCoop (coop: CoopRecord): void {
    this.insertCoop.run(coop.username, coop.actorId, coop.followPolicy, coop.createdAt)
  }

  /** See `HubQueries.getCoop`. */
  getCoop (username: string): CoopRecord | null {
    return toCoop(this.coopByUsername.get(username))
  }

  /** See `HubQueries.getCoopByActorId`. */
  getCoopByActorId (actorId: string): CoopRecord | null {
    return toCoop(this.coopByActorId.get(actorId))
  }

  /** See `HubQueries.listCoops` (by username). */
  listCoops (): CoopRecord[] {
    return this.allCoops.all().map(r => toCoop(r) as CoopRecord)
  }

  /** See `HubQueries.setFollowPolicy`. */
  setFollowPolicy (username: string, policy: FollowPolicy): void {
    this.updateFollowPolicy.run(policy, username)
  }

  /** See `HubQueries.deleteCoop`: the record and every token acting for it, in one transaction. */
  deleteCoop (username: string): boolean {
    const coop = this.getCoop(username)
    if (!coop) return false
    this.db.transaction(() => {
      this.removeTokensOf.run(coop.actorId)
      this.removeCoop.run(username)
    })()
    return true
  }

  /** See `HubQueries.deleteOutgoingFollow`. */
  deleteOutgoingFollow (followId: string): boolean {
    return this.removeOutgoingFollow.run(followId).changes === 1
  }

  /** See `HubQueries.saveToken`: insert-only; a duplicate hash throws. */
  saveToken (token: TokenRecord): void {
    this.insertToken.run(token.hash, token.scope, token.label, token.createdAt)
  }

  /** See `HubQueries.findToken`. */
  findToken (hash: string): TokenRecord | null {
    const row = this.tokenByHash.get(hash)
    return row === undefined ? null : { hash: row.hash, scope: row.scope, label: row.label, createdAt: row.created_at }
  }

  /** See `HubQueries.upsertService`. */
  upsertService (s: ServiceRecord): 'created' | 'updated' {
    return this.db.transaction((): 'created' | 'updated' => {
      const doc = JSON.stringify(s.object)
      const local = s.local ? 1 : 0
      if (this.insertService.run(s.id, s.actorId, s.category, local, doc, s.updatedAt).changes === 1) return 'created'
      this.updateService.run(s.actorId, s.category, local, doc, s.updatedAt, s.id)
      return 'updated'
    })()
  }

  /** See `HubQueries.getService`. */
  getService (id: string): ServiceRecord | null {
    const row = this.serviceById.get(id)
    return row === undefined ? null : toService(row)
  }

  /** See `HubQueries.deleteService`. */
  deleteService (id: string): boolean {
    return this.removeService.run(id).changes === 1
  }

  /** See `HubQueries.listServices`. */
  listServices (filter: { actorId?: string, category?: string, local?: boolean }): ServiceRecord[] {
    return this.filterServices.all({
      actorId: filter.actorId ?? null,
      category: filter.category ?? null,
      local: filter.local === undefined ? null : filter.local ? 1 : 0
    }).map(toService)
  }

  /** See `HubQueries.saveOutgoingFollow` (upsert by follow id). */
  saveOutgoingFollow (f: OutgoingFollow): void {
    this.upsertOutgoingFollow.run(f.followId, f.localActorId, f.targetActorId, f.state, f.updatedAt)
  }

  /** See `HubQueries.setOutgoingFollowState`; stamps `updatedAt`. */
  setOutgoingFollowState (followId: string, state: FollowState): boolean {
    return this.updateOutgoingFollowState.run(state, new Date(this.now()).toISOString(), followId).changes === 1
  }

  /** See `HubQueries.findOutgoingFollow`. */
  findOutgoingFollow (localActorId: string, targetActorId: string): OutgoingFollow | null {
    const row = this.outgoingFollowByPair.get(localActorId, targetActorId)
    return row === undefined ? null : toOutgoingFollow(row)
  }

  /** See `HubQueries.listOutgoingFollows` (newest first). */
  listOutgoingFollows (localActorId?: string): OutgoingFollow[] {
    return this.outgoingFollows.all({ localActorId: localActorId ?? null }).map(toOutgoingFollow)
  }

  /** See `HubQueries.isFollowedByAnyCoop`. */
  isFollowedByAnyCoop (actorId: string): boolean {
    return this.acceptedFollowOf.get(actorId) !== undefined
  }

  /** See `HubQueries.saveFollowRequest` (upsert by follow id). */
  saveFollowRequest (r: FollowRequest): void {
    this.upsertFollowRequest.run(r.followId, r.localActorId, r.remoteActorId, r.state, r.receivedAt)
  }

  /** See `HubQueries.getFollowRequest`. */
  getFollowRequest (followId: string): FollowRequest | null {
    const row = this.followRequestById.get(followId)
    return row === undefined ? null : toFollowRequest(row)
  }

  /** See `HubQueries.setFollowRequestState`. */
  setFollowRequestState (followId: string, state: FollowState): boolean {
    return this.updateFollowRequestState.run(state, followId).changes === 1
  }

  /** See `HubQueries.listFollowRequests` (oldest first). */
  listFollowRequests (localActorId: string, state?: FollowState): FollowRequest[] {
    return this.followRequests.all({ localActorId, state: state ?? null }).map(toFollowRequest)
  }

  /** See `HubQueries.getSetting`. */
  getSetting (key: string): string | null {
    return this.settingByKey.get(key)?.value ?? null
  }

  /** See `HubQueries.setSetting`. */
  setSetting (key: string, value: string): void {
    this.upsertSetting.run(key, value)
  }

  /** See `HubQueries.claimSetting` (SQLite's write lock orders concurrent claims). */
  claimSetting (key: string, value: string): string {
    this.insertSettingIfAbsent.run(key, value)
    return this.getSetting(key) ?? value
  }
}

function toCoop (row: CoopRow | undefined): CoopRecord | null {
  if (row === undefined) return null
  return { username: row.username, actorId: row.actor_id, followPolicy: row.follow_policy as FollowPolicy, createdAt: row.created_at }
}

function toService (row: ServiceRow): ServiceRecord {
  return {
    id: row.id, actorId: row.actor_id, category: row.category, local: row.local === 1,
    object: parseObject(row.doc), updatedAt: row.updated_at
  }
}

function toOutgoingFollow (row: OutgoingFollowRow): OutgoingFollow {
  return {
    followId: row.follow_id, localActorId: row.local_actor_id, targetActorId: row.target_actor_id,
    state: row.state as FollowState, updatedAt: row.updated_at
  }
}

function toFollowRequest (row: FollowRequestRow): FollowRequest {
  return {
    followId: row.follow_id, localActorId: row.local_actor_id, remoteActorId: row.remote_actor_id,
    state: row.state as FollowState, receivedAt: row.received_at
  }
}
