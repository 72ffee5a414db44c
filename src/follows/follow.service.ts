import { ConflictError, NotFoundError, ValidationError } from '../errors/app-errors'
import { Apex } from '../federation/apex-setup'
import { first, idOf } from '../domain/activity-streams/nodes'
import type { OutboundClient } from '../federation/http/outbound-client'
import type { Publisher } from '../federation/publisher'
import type { RemoteActors } from '../federation/remote-actors'
import type { ApexNode, FollowRequest, HubStore, OutgoingFollow } from '../store/store.port'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { CoopService } from '../coops/coop.service'
import { isHandle, lookupHandle } from './webfinger-client'

/** Follows between the hub's co-ops and other actors, both ways. */
export class FollowService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly publisher: Publisher,
    private readonly remote: RemoteActors,
    private readonly client: OutboundClient,
    private readonly schemas: SchemaValidator
  ) {}

  /** Sends a Follow from co-op `username` to `target` (user@host or actor URL). */
  async follow (username: string, body: unknown): Promise<OutgoingFollow> {
    const { target } = this.schemas.validate('api/follow-create.schema.json', body)
    const actor = await this.coops.requireActor(username)
    const targetId = isHandle(target) ? await lookupHandle(this.client, target) : parseActorUrl(target)
    if (targetId === actor.id) throw new ValidationError('A co-op cannot follow itself', { target: 'is this co-op' })
    const existing = await this.store.findOutgoingFollow(actor.id, targetId)
    if (existing && existing.state !== 'rejected') {
      throw new ConflictError(`Co-op "${username}" already follows ${targetId} (${existing.state})`)
    }
    // Fetch the target first: it must be a reachable actor, and apex needs it cached to address it.
    await this.remote.getActor(targetId, true)
    const activity = await this.publisher.send(actor, 'Follow', { object: targetId }, [targetId])
    const record: OutgoingFollow = { followId: activity.id, localActorId: actor.id, targetActorId: targetId, state: 'pending', updatedAt: new Date().toISOString() }
    await this.store.saveOutgoingFollow(record)
    return record
  }

  /**
   * Co-op `username` stops following `target` (user@host or actor URL): an Undo of the Follow
   * goes to the target unless it had rejected it, and the follow is forgotten. 404 when the
   * co-op does not follow it.
   */
  async unfollow (username: string, target: string): Promise<OutgoingFollow> {
    const actor = await this.coops.requireActor(username)
    const known = (await this.store.listOutgoingFollows(actor.id)).find(f => f.targetActorId === target)
    const targetId = known ? known.targetActorId : isHandle(target) ? await lookupHandle(this.client, target) : parseActorUrl(target)
    const existing = await this.store.findOutgoingFollow(actor.id, targetId)
    if (!existing) throw new NotFoundError(`Co-op "${username}" does not follow ${targetId}`)
    const follow = await this.store.getActivity(existing.followId, true)
    if (follow && existing.state !== 'rejected') {
      await this.publisher.send(actor, 'Undo', { object: publicCopy(follow) }, [targetId])
      const following = first<string>(actor.following)
      if (following && (follow._meta?.collection as string[] | undefined)?.includes(following)) {
        await this.store.updateActivityMeta(follow, 'collection', following, true)
      }
    }
    await this.store.deleteOutgoingFollow(existing.followId)
    return existing
  }

  /** The follows a co-op sent, with their state. */
  async list (username: string): Promise<OutgoingFollow[]> {
    return await this.store.listOutgoingFollows((await this.coops.require(username)).actorId)
  }

  /** Follow requests awaiting (or past) the co-op's decision. */
  async listRequests (username: string): Promise<FollowRequest[]> {
    return await this.store.listFollowRequests((await this.coops.require(username)).actorId)
  }

  /** An incoming Follow: accepted at once, or kept for approval when the co-op asks for that. */
  async received (recipient: ApexNode, follow: ApexNode): Promise<void> {
    const coop = await this.store.getCoopByActorId(recipient.id)
    if (!coop) return
    if (coop.followPolicy === 'approval') {
      await this.store.saveFollowRequest({ followId: follow.id, localActorId: recipient.id, remoteActorId: this.apex.actorIdFromActivity(follow), state: 'pending', receivedAt: new Date().toISOString() })
      return
    }
    await this.accept(recipient, follow)
  }

  /** The admin answers a pending follow request. */
  async answer (username: string, followId: string, decision: 'accept' | 'reject'): Promise<FollowRequest> {
    const recipient = await this.coops.requireActor(username)
    const request = await this.store.getFollowRequest(followId)
    if (!request || request.localActorId !== recipient.id) throw new NotFoundError(`Co-op "${username}" has no follow request ${followId}`)
    if (request.state !== 'pending') throw new ConflictError(`That follow request was already ${request.state}`)
    const follow = await this.store.getActivity(followId, true)
    if (!follow) throw new NotFoundError(`The Follow ${followId} is no longer stored (it may have been undone)`)
    if (decision === 'accept') await this.accept(recipient, follow)
    else await this.publisher.send(recipient, 'Reject', { object: publicCopy(follow) }, [request.remoteActorId])
    await this.store.setFollowRequestState(followId, decision === 'accept' ? 'accepted' : 'rejected')
    return { ...request, state: decision === 'accept' ? 'accepted' : 'rejected' }
  }

  /** A peer accepted or rejected one of our follows (apex has already updated its collections). */
  async answered (followActivity: ApexNode | undefined, state: 'accepted' | 'rejected', answeredBy: string): Promise<void> {
    const followId = followActivity ? followActivity.id : undefined
    if (!followId) return
    const ours = (await this.store.listOutgoingFollows()).find(f => f.followId === followId)
    if (ours && ours.targetActorId === answeredBy) await this.store.setOutgoingFollowState(followId, state)
  }

  private async accept (recipient: ApexNode, follow: ApexNode): Promise<void> {
    await this.apex.acceptFollow(recipient, follow)
    await this.publisher.send(recipient, 'Accept', { object: publicCopy(follow) }, [this.apex.actorIdFromActivity(follow)])
  }
}

/** An activity without apex's private bookkeeping, to embed in an answer. */
function publicCopy (activity: ApexNode): Record<string, unknown> {
  const { _meta: _ignored, ...rest } = activity
  return { ...rest, actor: idOf(rest.actor), object: idOf(rest.object) ?? first(rest.object) }
}

function parseActorUrl (target: string): string {
  try {
    const url = new URL(target)
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href
  } catch { /* fall through */ }
  throw new ValidationError(`"${target}" is neither user@host nor an http(s) actor URL`, { target: 'must be user@host or an actor URL' })
}
