/**
 * Storage of umbrella organisations and their memberships. An umbrella's own hub holds the
 * authoritative rows; every member's hub keeps a copy of the member list from the umbrella's
 * Add and Remove activities, in the same table.
 */

/** How an umbrella answers a Join. */
export type MembershipPolicy = 'open' | 'approval' | 'vote'

/** Where a membership stands. */
export type MembershipState = 'pending' | 'member' | 'refused' | 'left' | 'removed'

/** A local umbrella: its actor is registered like a co-op's, this row adds what only umbrellas have. */
export interface UmbrellaRecord {
  username: string
  actorId: string
  membershipPolicy: MembershipPolicy
  createdAt: string
}

/** One actor's membership of one umbrella, local or remote on either side. */
export interface MembershipRecord {
  umbrellaActorId: string
  memberActorId: string
  state: MembershipState
  /** The Join that asked for it (null when the admin added the member or a copy came from an Add). */
  joinActivityId: string | null
  updatedAt: string
}

/** A current member, as the public members list shows it. */
export interface Member {
  actorId: string
  /** The origin of the hub (or server) the member lives on. */
  hub: string
  /** When it became a member (the time of its last change of state). */
  since: string
}

/** Which memberships to list. */
export interface MembershipFilter {
  umbrellaActorId?: string
  memberActorId?: string
  state?: MembershipState
}

/** Umbrellas and memberships; every method answers a Promise (the store port is async). */
export interface UmbrellaRepository {
  /** Inserts an umbrella; a username or actor taken already throws `ConflictError` and changes nothing. */
  saveUmbrella(umbrella: UmbrellaRecord): Promise<void>
  getUmbrella(username: string): Promise<UmbrellaRecord | null>
  getUmbrellaByActorId(actorId: string): Promise<UmbrellaRecord | null>
  /** Oldest first. */
  listUmbrellas(): Promise<UmbrellaRecord[]>
  /** Answers false when there is no such umbrella. */
  setMembershipPolicy(username: string, policy: MembershipPolicy): Promise<boolean>

  /** Inserts or replaces the membership of (umbrella, member). */
  saveMembership(membership: MembershipRecord): Promise<void>
  getMembership(umbrellaActorId: string, memberActorId: string): Promise<MembershipRecord | null>
  getMembershipByJoin(joinActivityId: string): Promise<MembershipRecord | null>
  /** Oldest change first. */
  listMemberships(filter?: MembershipFilter): Promise<MembershipRecord[]>
  /** True when `coopActorId` is a current member of the umbrella. */
  isMember(umbrellaActorId: string, coopActorId: string): Promise<boolean>
  /** The umbrella's current members, oldest first. */
  listMembers(umbrellaActorId: string): Promise<Member[]>
}
