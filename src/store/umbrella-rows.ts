/** The umbrella tables' rows as both store adapters read them (the same columns on SQLite and PostgreSQL). */
import type { MembershipPolicy, MembershipRecord, MembershipState, UmbrellaRecord } from './ports/umbrella.port'

export interface UmbrellaRow { username: string, actor_id: string, membership_policy: string, created_at: string }
export interface MembershipRow { umbrella_actor_id: string, member_actor_id: string, state: string, join_activity_id: string | null, updated_at: string }

/** An `umbrellas` row as the port's record. */
export function fromUmbrellaRow (row: UmbrellaRow): UmbrellaRecord {
  return { username: row.username, actorId: row.actor_id, membershipPolicy: row.membership_policy as MembershipPolicy, createdAt: row.created_at }
}

/** An `umbrella_memberships` row as the port's record. */
export function fromMembershipRow (row: MembershipRow): MembershipRecord {
  return {
    umbrellaActorId: row.umbrella_actor_id,
    memberActorId: row.member_actor_id,
    state: row.state as MembershipState,
    joinActivityId: row.join_activity_id,
    updatedAt: row.updated_at
  }
}
