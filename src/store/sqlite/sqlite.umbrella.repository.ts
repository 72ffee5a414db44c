import type Database from 'better-sqlite3'
import { ConflictError } from '../../errors/app-errors'
import { hubOf } from '../../domain/activity-streams/nodes'
import { fromMembershipRow, fromUmbrellaRow, type MembershipRow, type UmbrellaRow } from '../umbrella-rows'
import type {
  Member, MembershipFilter, MembershipPolicy, MembershipRecord, UmbrellaRecord, UmbrellaRepository
} from '../ports/umbrella.port'


/** `UmbrellaRepository` on the hub's SQLite database (tables from migration 11). */
export class SqliteUmbrellaRepository implements UmbrellaRepository {
  private readonly upsertMembershipStmt: Database.Statement

  constructor (private readonly db: Database.Database) {
    this.upsertMembershipStmt = db.prepare(`INSERT INTO umbrella_memberships (umbrella_actor_id, member_actor_id, state, join_activity_id, updated_at)
      VALUES (@umbrella_actor_id, @member_actor_id, @state, @join_activity_id, @updated_at)
      ON CONFLICT(umbrella_actor_id, member_actor_id) DO UPDATE SET state = excluded.state,
        join_activity_id = excluded.join_activity_id, updated_at = excluded.updated_at`)
  }

  async saveUmbrella (umbrella: UmbrellaRecord): Promise<void> {
    // A typed refusal rather than the driver's constraint error: every adapter answers the same.
    const inserted = this.db.prepare('INSERT INTO umbrellas (username, actor_id, membership_policy, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(umbrella.username, umbrella.actorId, umbrella.membershipPolicy, umbrella.createdAt)
    if (inserted.changes === 0) throw new ConflictError(`An umbrella named "${umbrella.username}" or with the actor ${umbrella.actorId} exists already`)
  }

  async getUmbrella (username: string): Promise<UmbrellaRecord | null> {
    const row = this.db.prepare<[string], UmbrellaRow>('SELECT * FROM umbrellas WHERE username = ?').get(username)
    return row ? fromUmbrellaRow(row) : null
  }

  async getUmbrellaByActorId (actorId: string): Promise<UmbrellaRecord | null> {
    const row = this.db.prepare<[string], UmbrellaRow>('SELECT * FROM umbrellas WHERE actor_id = ?').get(actorId)
    return row ? fromUmbrellaRow(row) : null
  }

  async listUmbrellas (): Promise<UmbrellaRecord[]> {
    return this.db.prepare<[], UmbrellaRow>('SELECT * FROM umbrellas ORDER BY created_at, username').all().map(fromUmbrellaRow)
  }

  async setMembershipPolicy (username: string, policy: MembershipPolicy): Promise<boolean> {
    return this.db.prepare('UPDATE umbrellas SET membership_policy = ? WHERE username = ?').run(policy, username).changes > 0
  }

  async saveMembership (membership: MembershipRecord): Promise<void> {
    this.upsertMembershipStmt.run({
      umbrella_actor_id: membership.umbrellaActorId,
      member_actor_id: membership.memberActorId,
      state: membership.state,
      join_activity_id: membership.joinActivityId,
      updated_at: membership.updatedAt
    })
  }

  async getMembership (umbrellaActorId: string, memberActorId: string): Promise<MembershipRecord | null> {
    const row = this.db.prepare<[string, string], MembershipRow>('SELECT * FROM umbrella_memberships WHERE umbrella_actor_id = ? AND member_actor_id = ?')
      .get(umbrellaActorId, memberActorId)
    return row ? fromMembershipRow(row) : null
  }

  async getMembershipByJoin (joinActivityId: string): Promise<MembershipRecord | null> {
    const row = this.db.prepare<[string], MembershipRow>('SELECT * FROM umbrella_memberships WHERE join_activity_id = ?').get(joinActivityId)
    return row ? fromMembershipRow(row) : null
  }

  async listMemberships (filter: MembershipFilter = {}): Promise<MembershipRecord[]> {
    const where: string[] = []
    const params: Record<string, unknown> = {}
    if (filter.umbrellaActorId !== undefined) { where.push('umbrella_actor_id = @umbrella'); params.umbrella = filter.umbrellaActorId }
    if (filter.memberActorId !== undefined) { where.push('member_actor_id = @member'); params.member = filter.memberActorId }
    if (filter.state !== undefined) { where.push('state = @state'); params.state = filter.state }
    const sql = `SELECT * FROM umbrella_memberships ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at, member_actor_id`
    return this.db.prepare<Record<string, unknown>, MembershipRow>(sql).all(params).map(fromMembershipRow)
  }

  async isMember (umbrellaActorId: string, coopActorId: string): Promise<boolean> {
    return (await this.getMembership(umbrellaActorId, coopActorId))?.state === 'member'
  }

  async listMembers (umbrellaActorId: string): Promise<Member[]> {
    return (await this.listMemberships({ umbrellaActorId, state: 'member' }))
      .map(m => ({ actorId: m.memberActorId, hub: hubOf(m.memberActorId), since: m.updatedAt }))
  }
}
