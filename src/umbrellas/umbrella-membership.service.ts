import { ConflictError, NotFoundError, ValidationError } from '../errors/app-errors'
import { first, hubOf, idOf } from '../domain/activity-streams/nodes'
import type { OutboundClient } from '../federation/http/outbound-client'
import type { Publisher } from '../federation/publisher'
import type { RemoteActors } from '../federation/remote-actors'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import type { Member, MembershipRecord } from '../store/ports/umbrella.port'
import { publicActivityCopy, resolveActorReference } from './actor-reference'
import { umbrellaCollections } from './umbrella-actor'
import type { UmbrellaService } from './umbrella.service'

/** A Join waiting for the umbrella's answer. */
export interface JoinRequest {
  id: string
  umbrella: string
  actor: string
  hub: string
  state: MembershipRecord['state']
  receivedAt: string
}

/**
 * Called when a `vote` umbrella receives a Join: the decisions code opens a decision whose
 * outcome calls `decideJoin`. Until one is set the request stays pending.
 */
export type AdmissionDecisionOpener = (request: JoinRequest) => Promise<void>

/**
 * The umbrella's side of membership: answers Joins per its policy, records Leaves, adds and
 * removes members, and tells every member (and its followers) of each change with Add / Remove
 * to its members collection, so every member's hub keeps the same list.
 */
export class UmbrellaMembershipService {
  /** The hook a `vote` umbrella's Join goes through; by default the request stays pending. */
  openAdmissionDecision: AdmissionDecisionOpener = async () => {}

  constructor (
    private readonly store: HubStore,
    private readonly umbrellas: UmbrellaService,
    private readonly publisher: Publisher,
    private readonly remote: RemoteActors,
    private readonly client: OutboundClient,
    private readonly schemas: SchemaValidator,
    private readonly logger: Logger
  ) {}

  /** A Join reached a local umbrella: accepted at once (`open`), kept for an answer (`approval`) or for a decision (`vote`). */
  async receivedJoin (recipient: ApexNode, actor: ApexNode, join: ApexNode): Promise<void> {
    const umbrella = await this.store.umbrellas.getUmbrellaByActorId(recipient.id)
    if (!umbrella || idOf(join.object) !== recipient.id || actor.id === recipient.id) return
    const existing = await this.store.umbrellas.getMembership(umbrella.actorId, actor.id)
    if (existing?.state === 'member') {
      // Already a member (a repeated Join): answered again so the co-op's hub catches up.
      await this.publisher.send(recipient, 'Accept', { object: publicActivityCopy(join) }, [actor.id])
      return
    }
    const record: MembershipRecord = { umbrellaActorId: umbrella.actorId, memberActorId: actor.id, state: 'pending', joinActivityId: join.id, updatedAt: new Date().toISOString() }
    await this.store.umbrellas.saveMembership(record)
    if (umbrella.membershipPolicy === 'open') {
      await this.admit(recipient, record)
    } else if (umbrella.membershipPolicy === 'vote') {
      await this.openAdmissionDecision(joinRequestOf(record))
    }
  }

  /** A member left (Leave of the umbrella): recorded, and the members are told with a Remove. */
  async receivedLeave (recipient: ApexNode, actor: ApexNode, leave: ApexNode): Promise<void> {
    const umbrella = await this.store.umbrellas.getUmbrellaByActorId(recipient.id)
    if (!umbrella || idOf(leave.object) !== recipient.id) return
    const existing = await this.store.umbrellas.getMembership(umbrella.actorId, actor.id)
    if (!existing || (existing.state !== 'member' && existing.state !== 'pending')) return
    const wasMember = existing.state === 'member'
    await this.store.umbrellas.saveMembership({ ...existing, state: 'left', updatedAt: new Date().toISOString() })
    if (wasMember) await this.tellMembers(recipient, 'Remove', actor.id, [actor.id])
  }

  /** The Joins a local umbrella received, pending ones first. */
  async listJoinRequests (username: string, scope: string): Promise<JoinRequest[]> {
    const umbrella = await this.umbrellas.requireFor(username, scope)
    const all = (await this.store.umbrellas.listMemberships({ umbrellaActorId: umbrella.actorId })).filter(m => m.joinActivityId !== null)
    return [...all.filter(m => m.state === 'pending'), ...all.filter(m => m.state !== 'pending')].map(joinRequestOf)
  }

  /** The umbrella's token holder answers a pending Join (`approval`, or the founding members of `vote`). */
  async answerJoinRequest (username: string, scope: string, joinId: string, decision: 'accept' | 'reject'): Promise<JoinRequest> {
    const umbrella = await this.umbrellas.requireFor(username, scope)
    const request = await this.store.umbrellas.getMembershipByJoin(joinId)
    if (!request || request.umbrellaActorId !== umbrella.actorId) throw new NotFoundError(`Umbrella "${umbrella.username}" has no join request ${joinId}`)
    return await this.decideJoin(umbrella.actorId, request.memberActorId, decision === 'accept' ? 'admit' : 'refuse')
  }

  /**
   * Admits or refuses a pending Join: an Accept (and an Add to the members) or a Reject goes out.
   * The decisions code calls this with a decision's outcome; 409 when the Join is not pending.
   */
  async decideJoin (umbrellaActorId: string, memberActorId: string, outcome: 'admit' | 'refuse', reason?: string): Promise<JoinRequest> {
    const umbrella = await this.store.umbrellas.getUmbrellaByActorId(umbrellaActorId)
    const request = await this.store.umbrellas.getMembership(umbrellaActorId, memberActorId)
    if (!umbrella || !request?.joinActivityId) throw new NotFoundError(`There is no join request of ${memberActorId} to ${umbrellaActorId}`)
    if (request.state !== 'pending') throw new ConflictError(`That join request was already answered: ${request.state}`)
    const actor = await this.umbrellas.requireActor(umbrella)
    if (outcome === 'admit') return joinRequestOf(await this.admit(actor, request))
    const refused: MembershipRecord = { ...request, state: 'refused', updatedAt: new Date().toISOString() }
    await this.store.umbrellas.saveMembership(refused)
    const join = await this.store.getActivity(request.joinActivityId)
    await this.publisher.send(actor, 'Reject', { object: join ? publicActivityCopy(join) : request.joinActivityId, summary: reason ?? `${umbrella.username} did not admit this member` }, [memberActorId])
    return joinRequestOf(refused)
  }

  /** The admin adds a member without a Join (e.g. the founding members of a `vote` umbrella). */
  async addMember (username: string, body: unknown): Promise<Member> {
    const input = this.schemas.validate('api/umbrella-member-add.schema.json', body)
    const umbrella = await this.umbrellas.require(username)
    const memberId = await resolveActorReference(this.client, input.actor, 'actor')
    if (memberId === umbrella.actorId) throw new ValidationError('An umbrella cannot be its own member', { actor: 'is this umbrella' })
    if (await this.store.umbrellas.isMember(umbrella.actorId, memberId)) throw new ConflictError(`${memberId} is already a member of umbrella "${umbrella.username}"`)
    // It must be a reachable actor, and apex needs it cached to address it.
    await this.remote.getActor(memberId, true)
    const existing = await this.store.umbrellas.getMembership(umbrella.actorId, memberId)
    const actor = await this.umbrellas.requireActor(umbrella)
    const record = await this.admit(actor, { umbrellaActorId: umbrella.actorId, memberActorId: memberId, state: 'pending', joinActivityId: existing?.joinActivityId ?? null, updatedAt: '' }, false)
    return { actorId: memberId, hub: new URL(memberId).origin, since: record.updatedAt }
  }

  /** The umbrella removes a member: a Remove goes to it, the members and the followers. */
  async removeMember (username: string, scope: string, memberId: string): Promise<void> {
    const umbrella = await this.umbrellas.requireFor(username, scope)
    const existing = await this.store.umbrellas.getMembership(umbrella.actorId, memberId)
    if (!existing || existing.state !== 'member') throw new NotFoundError(`${memberId} is not a member of umbrella "${umbrella.username}"`)
    const actor = await this.umbrellas.requireActor(umbrella)
    await this.store.umbrellas.saveMembership({ ...existing, state: 'removed', updatedAt: new Date().toISOString() })
    await this.tellMembers(actor, 'Remove', memberId, [memberId])
  }

  /** The current members of a local umbrella (by username) or of any umbrella this hub keeps a list of (by actor id). */
  async members (reference: string): Promise<{ umbrella: string, items: Member[] }> {
    const local = await this.store.umbrellas.getUmbrella(reference.toLowerCase())
    if (local) return { umbrella: local.actorId, items: await this.store.umbrellas.listMembers(local.actorId) }
    const known = /^https?:\/\//.test(reference) ? await this.store.umbrellas.listMemberships({ umbrellaActorId: reference }) : []
    if (known.length === 0) throw new NotFoundError(`There is no umbrella "${reference}" on this hub, and this hub keeps no member list of it`)
    return { umbrella: reference, items: await this.store.umbrellas.listMembers(reference) }
  }

  /** Makes `request` a membership; answers the Join with an Accept (when there was one) and tells the members. */
  private async admit (umbrella: ApexNode, request: MembershipRecord, answerJoin = true): Promise<MembershipRecord> {
    const member: MembershipRecord = { ...request, state: 'member', updatedAt: new Date().toISOString() }
    await this.store.umbrellas.saveMembership(member)
    const join = answerJoin && request.joinActivityId ? await this.store.getActivity(request.joinActivityId) : null
    if (join) await this.publisher.send(umbrella, 'Accept', { object: publicActivityCopy(join) }, [member.memberActorId])
    await this.tellMembers(umbrella, 'Add', member.memberActorId)
    return member
  }

  /** Add or Remove of `memberId` to the members collection, to every member (and `also`) and the followers. */
  private async tellMembers (umbrella: ApexNode, type: 'Add' | 'Remove', memberId: string, also: string[] = []): Promise<void> {
    const username = first<string>(umbrella.preferredUsername) ?? ''
    const target = idOf(umbrella.members) ?? umbrellaCollections(new URL(umbrella.id).origin, username).members
    const members = (await this.store.umbrellas.listMembers(umbrella.id)).map(m => m.actorId)
    const followers = first<string>(umbrella.followers)
    const to = [...new Set([...members, ...also])]
    try {
      await this.publisher.send(umbrella, type, { object: memberId, target, cc: followers ? [followers] : [] }, to)
    } catch (err) {
      // The change is recorded; members that missed it re-read the public members collection.
      this.logger.error({ err, umbrella: umbrella.id, member: memberId }, `umbrella: the ${type} could not be queued`)
    }
  }
}

/** The API view of a Join request. */
function joinRequestOf (record: MembershipRecord): JoinRequest {
  return {
    id: record.joinActivityId ?? '',
    umbrella: record.umbrellaActorId,
    actor: record.memberActorId,
    hub: hubOf(record.memberActorId),
    state: record.state,
    receivedAt: record.updatedAt
  }
}
