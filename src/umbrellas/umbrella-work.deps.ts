/**
 * What the umbrella's projects and decisions need from the rest of the hub, as small interfaces:
 * membership (kept by the umbrella's membership feature), the actions a decision can take on
 * membership, and a way to publish an activity (the umbrella actor's outbox).
 */
import { AS_PUBLIC } from '../domain/activity-streams/nodes'
import type { Audience } from '../domain/umbrella/decision-question'

/** Who belongs to an umbrella. */
export interface UmbrellaMembership {
  isMember(umbrellaActorId: string, coopActorId: string): Promise<boolean>
  listMembers(umbrellaActorId: string): Promise<Array<{ actorId: string }>>
}

/** Membership changes a passed decision makes. */
export interface MembershipActions {
  admitMember(umbrellaActorId: string, coopActorId: string, decisionId: string): Promise<void>
  removeMember(umbrellaActorId: string, coopActorId: string, decisionId: string): Promise<void>
  /** Refuses the pending Join of `coopActorId` (an admission that did not pass), saying why. */
  refuseMember(umbrellaActorId: string, coopActorId: string, decisionId: string, reason: string): Promise<void>
}

/** An activity to sign and deliver from `actor` (a local umbrella or co-op). */
export interface OutgoingActivity {
  type: 'Create' | 'Update' | 'Reject'
  actor: string
  object: Record<string, unknown> | string
  to: string[]
  cc: string[]
  summary?: string
}

/** Publishes an activity from a local actor. */
export type PublishActivity = (activity: OutgoingActivity) => Promise<void>

/** Where an umbrella's own objects go: public, its followers and every member. */
export async function umbrellaAudience (membership: UmbrellaMembership, umbrellaId: string, followersOf: (actorId: string) => string): Promise<Audience> {
  const members = await membership.listMembers(umbrellaId)
  return { to: [AS_PUBLIC], cc: [followersOf(umbrellaId), ...members.map(m => m.actorId)] }
}

/** The followers collection of a local actor, where apex serves it. */
export function defaultFollowersOf (actorId: string): string {
  return `${actorId}/followers`
}
