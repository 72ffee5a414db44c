import { ConflictError, NotFoundError, ValidationError } from '../errors/app-errors'
import { first, hasType, idOf } from '../domain/activity-streams/nodes'
import type { OutboundClient } from '../federation/http/outbound-client'
import type { Publisher } from '../federation/publisher'
import type { RemoteActors } from '../federation/remote-actors'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import type { MembershipRecord } from '../store/ports/umbrella.port'
import type { CoopService } from '../coops/coop.service'
import { resolveActorReference } from './actor-reference'

/** A local co-op's membership of an umbrella, as its API shows it. */
export interface MembershipView {
  umbrella: string
  state: MembershipRecord['state']
  join: string | null
  updatedAt: string
}

/**
 * The member's side of membership: a local co-op (or umbrella) joins and leaves umbrellas on any
 * hub, records their answers, and keeps each umbrella's member list from its Add and Remove
 * activities (re-reading the public members collection when it becomes a member).
 */
export class MembershipService {
  constructor (
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly publisher: Publisher,
    private readonly remote: RemoteActors,
    private readonly client: OutboundClient,
    private readonly schemas: SchemaValidator,
    private readonly logger: Logger
  ) {}

  /** Sends a Join from co-op `username` to an umbrella (name@host or actor URL); 409 when pending or a member already. */
  async join (username: string, body: unknown): Promise<MembershipView> {
    const { umbrella: reference } = this.schemas.validate('api/membership-request.schema.json', body)
    const actor = await this.coops.requireActor(username)
    const umbrellaId = await resolveActorReference(this.client, reference, 'umbrella')
    if (umbrellaId === actor.id) throw new ValidationError('An umbrella cannot join itself', { umbrella: 'is this actor' })
    const existing = await this.store.umbrellas.getMembership(umbrellaId, actor.id)
    if (existing && (existing.state === 'pending' || existing.state === 'member')) {
      throw new ConflictError(`"${username}" already asked to join ${umbrellaId} (${existing.state})`)
    }
    // Fetched first: it must be a reachable umbrella, and apex needs it cached to address it.
    const umbrella = await this.remote.getActor(umbrellaId, true)
    if (!hasType(umbrella, 'ioo:Umbrella')) throw new ValidationError(`${umbrellaId} is not an umbrella organisation`, { umbrella: 'is not an umbrella' })
    const activity = await this.publisher.send(actor, 'Join', { object: umbrellaId }, [umbrellaId])
    const record: MembershipRecord = { umbrellaActorId: umbrellaId, memberActorId: actor.id, state: 'pending', joinActivityId: activity.id, updatedAt: new Date().toISOString() }
    await this.store.umbrellas.saveMembership(record)
    return viewOf(record)
  }

  /** Sends a Leave from co-op `username` to an umbrella it is a member of (or asked to join). */
  async leave (username: string, body: unknown): Promise<MembershipView> {
    const { umbrella: reference } = this.schemas.validate('api/membership-request.schema.json', body)
    const actor = await this.coops.requireActor(username)
    const umbrellaId = await resolveActorReference(this.client, reference, 'umbrella')
    const existing = await this.store.umbrellas.getMembership(umbrellaId, actor.id)
    if (!existing || (existing.state !== 'member' && existing.state !== 'pending')) {
      throw new NotFoundError(`"${username}" is not a member of ${umbrellaId}${existing ? ` (${existing.state})` : ''}`)
    }
    await this.publisher.send(actor, 'Leave', { object: umbrellaId }, [umbrellaId])
    const left: MembershipRecord = { ...existing, state: 'left', updatedAt: new Date().toISOString() }
    await this.store.umbrellas.saveMembership(left)
    return viewOf(left)
  }

  /** The umbrellas a local co-op joined or asked to join, with their state. */
  async list (username: string): Promise<MembershipView[]> {
    return (await this.store.umbrellas.listMemberships({ memberActorId: (await this.coops.require(username)).actorId })).map(viewOf)
  }

  /** Accept or Reject of one of our Joins, by the umbrella it was sent to. */
  async answered (recipient: ApexNode, answeredBy: ApexNode, join: ApexNode, state: 'member' | 'refused'): Promise<void> {
    if (idOf(join.actor) !== recipient.id || idOf(join.object) !== answeredBy.id) return
    const ours = await this.store.umbrellas.getMembership(answeredBy.id, recipient.id)
    if (!ours || ours.state === 'left') return
    await this.store.umbrellas.saveMembership({ ...ours, state, updatedAt: new Date().toISOString() })
    if (state === 'member') await this.refreshMembers(answeredBy)
  }

  /** Add or Remove by an umbrella to its own members collection: this hub's copy of its member list follows. */
  async memberListChanged (umbrella: ApexNode, activity: ApexNode, change: 'Add' | 'Remove'): Promise<void> {
    const target = idOf(activity.target)
    const memberId = idOf(activity.object)
    if (!memberId || target === undefined || target !== (idOf(umbrella.members) ?? `${umbrella.id}/members`)) return
    // The umbrella's own hub holds the authoritative rows already.
    if (await this.store.umbrellas.getUmbrellaByActorId(umbrella.id)) return
    const previous = await this.store.umbrellas.getMembership(umbrella.id, memberId)
    const now = new Date().toISOString()
    if (change === 'Add') {
      if (previous?.state === 'member') return
      await this.store.umbrellas.saveMembership({ umbrellaActorId: umbrella.id, memberActorId: memberId, state: 'member', joinActivityId: previous?.joinActivityId ?? null, updatedAt: now })
      // One of ours became a member (added without a Join): it learns the members it has not seen added.
      if (await this.store.getCoopByActorId(memberId)) await this.refreshMembers(umbrella)
    } else if (previous && previous.state !== 'left' && previous.state !== 'removed') {
      await this.store.umbrellas.saveMembership({ ...previous, state: 'removed', updatedAt: now })
    }
  }

  /** Replaces this hub's copy of an umbrella's member list with its public members collection. */
  private async refreshMembers (umbrella: ApexNode): Promise<void> {
    const membersIri = idOf(umbrella.members)
    if (!membersIri) return
    let collection: ApexNode
    try {
      collection = await this.remote.fetchNode(membersIri)
    } catch (err) {
      this.logger.warn({ err, umbrella: umbrella.id }, 'umbrella: its members collection could not be read; the list follows its Add and Remove only')
      return
    }
    const listed = new Set(collectionItems(collection).map(item => idOf(item)).filter((id): id is string => typeof id === 'string'))
    const now = new Date().toISOString()
    for (const memberId of listed) {
      const previous = await this.store.umbrellas.getMembership(umbrella.id, memberId)
      if (previous?.state !== 'member') await this.store.umbrellas.saveMembership({ umbrellaActorId: umbrella.id, memberActorId: memberId, state: 'member', joinActivityId: previous?.joinActivityId ?? null, updatedAt: now })
    }
    for (const known of await this.store.umbrellas.listMemberships({ umbrellaActorId: umbrella.id, state: 'member' })) {
      if (!listed.has(known.memberActorId)) await this.store.umbrellas.saveMembership({ ...known, state: 'removed', updatedAt: now })
    }
  }
}

/** The API view of a membership record. */
function viewOf (record: MembershipRecord): MembershipView {
  return { umbrella: record.umbrellaActorId, state: record.state, join: record.joinActivityId, updatedAt: record.updatedAt }
}

/** A collection's items, whether compacted as a plain array or as a JSON-LD list. */
function collectionItems (collection: ApexNode): unknown[] {
  const raw = collection.orderedItems ?? collection.items
  const list = first<unknown>(raw) as { '@list'?: unknown } | undefined
  const items = list && typeof list === 'object' && '@list' in list ? list['@list'] : raw
  return Array.isArray(items) ? items : items === undefined ? [] : [items]
}
