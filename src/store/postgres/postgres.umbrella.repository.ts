/**
 * Umbrella organisations and memberships on PostgreSQL.
 */
import { ConflictError } from '../../errors/app-errors'
import { hubOf } from '../../domain/activity-streams/nodes'
import { fromMembershipRow, fromUmbrellaRow, type MembershipRow, type UmbrellaRow } from '../umbrella-rows'
import type {
  Member, MembershipFilter, MembershipPolicy, MembershipRecord, UmbrellaRecord, UmbrellaRepository
} from '../ports/umbrella.port'
import type { PostgresDatabase } from './postgres-database'


/** `UmbrellaRepository` on the hub's PostgreSQL database. */
export class PostgresUmbrellaRepository implements UmbrellaRepository {
  constructor (private readonly db: PostgresDatabase) {}

  async saveUmbrella (umbrella: UmbrellaRecord): Promise<void> {
    // A typed refusal rather than the driver's constraint error: every adapter answers the same.
    const inserted = await this.db.query('INSERT INTO umbrellas (username, actor_id, membership_policy, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [umbrella.username, umbrella.actorId, umbrella.membershipPolicy, umbrella.createdAt])
    if (inserted.rowCount === 0) throw new ConflictError(`An umbrella named "${umbrella.username}" or with the actor ${umbrella.actorId} exists already`)
  }

  async getUmbrella (username: string): Promise<UmbrellaRecord | null> {
    const row = (await this.db.query<UmbrellaRow>('SELECT * FROM umbrellas WHERE username = $1', [username])).rows[0]
    return row ? fromUmbrellaRow(row) : null
  }

  async getUmbrellaByActorId (actorId: string): Promise<UmbrellaRecord | null> {
    const row = (await this.db.query<UmbrellaRow>('SELECT * FROM umbrellas WHERE actor_id = $1', [actorId])).rows[0]
    return row ? fromUmbrellaRow(row) : null
  }

  async listUmbrellas (): Promise<UmbrellaRecord[]> {
    return (await this.db.query<UmbrellaRow>('SELECT * FROM umbrellas ORDER BY created_at COLLATE "C", username COLLATE "C"')).rows.map(fromUmbrellaRow)
  }

  async setMembershipPolicy (username: string, policy: MembershipPolicy): Promise<boolean> {
    return ((await this.db.query('UPDATE umbrellas SET membership_policy = $1 WHERE username = $2', [policy, username])).rowCount ?? 0) > 0
  }

  async saveMembership (m: MembershipRecord): Promise<void> {
    await this.db.query(`INSERT INTO umbrella_memberships (umbrella_actor_id, member_actor_id, state, join_activity_id, updated_at)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (umbrella_actor_id, member_actor_id) DO UPDATE SET state = excluded.state,
        join_activity_id = excluded.join_activity_id, updated_at = excluded.updated_at`,
    [m.umbrellaActorId, m.memberActorId, m.state, m.joinActivityId, m.updatedAt])
  }

  async getMembership (umbrellaActorId: string, memberActorId: string): Promise<MembershipRecord | null> {
    const row = (await this.db.query<MembershipRow>('SELECT * FROM umbrella_memberships WHERE umbrella_actor_id = $1 AND member_actor_id = $2',
      [umbrellaActorId, memberActorId])).rows[0]
    return row ? fromMembershipRow(row) : null
  }

  async getMembershipByJoin (joinActivityId: string): Promise<MembershipRecord | null> {
    const row = (await this.db.query<MembershipRow>('SELECT * FROM umbrella_memberships WHERE join_activity_id = $1 LIMIT 1', [joinActivityId])).rows[0]
    return row ? fromMembershipRow(row) : null
  }

  async listMemberships (filter: MembershipFilter = {}): Promise<MembershipRecord[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.umbrellaActorId !== undefined) { params.push(filter.umbrellaActorId); where.push(`umbrella_actor_id = $${params.length}`) }
    if (filter.memberActorId !== undefined) { params.push(filter.memberActorId); where.push(`member_actor_id = $${params.length}`) }
    if (filter.state !== undefined) { params.push(filter.state); where.push(`state = $${params.length}`) }
    const sql = `SELECT * FROM umbrella_memberships ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at COLLATE "C", member_actor_id COLLATE "C"`
    return (await this.db.query<MembershipRow>(sql, params)).rows.map(fromMembershipRow)
  }

  async isMember (umbrellaActorId: string, coopActorId: string): Promise<boolean> {
    return (await this.getMembership(umbrellaActorId, coopActorId))?.state === 'member'
  }

  async listMembers (umbrellaActorId: string): Promise<Member[]> {
    return (await this.listMemberships({ umbrellaActorId, state: 'member' }))
      .map(m => ({ actorId: m.memberActorId, hub: hubOf(m.memberActorId), since: m.updatedAt }))
  }
}
