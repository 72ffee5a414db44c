import type { ApexNode, HubStore } from '../store/store.port'
import { AS_PUBLIC } from '../domain/activity-streams/nodes'
import { Apex } from './apex-setup'
import { first } from '../domain/activity-streams/nodes'

/**
 * Publishes a local actor's objects: stores the object, wraps it in an activity, adds that to
 * the actor's outbox and queues it for the actor's followers. Everything goes through apex so
 * its collections (outbox, followers) stay the source of truth for addressing.
 */
export class Publisher {
  constructor (private readonly apex: Apex, private readonly store: HubStore) {}

  /** The local actor with its private bookkeeping, or null. */
  async localActor (actorId: string): Promise<ApexNode | null> {
    const actor = await this.store.getObject(actorId, true)
    return actor && actor._meta?.privateKey ? actor : null
  }

  /** Stores `object` (plain JSON-LD without @context) and sends Create or Update of it to followers. */
  async publishObject (actor: ApexNode, kind: 'Create' | 'Update', object: Record<string, unknown>): Promise<ApexNode> {
    const node = await this.apex.fromJSONLD({ '@context': this.apex.context, ...object }) as ApexNode
    const exists = await this.store.getObject(node.id) !== null
    if (exists) await this.store.updateObject(node, actor.id, true)
    else await this.store.saveObject(node)
    return await this.send(actor, kind, { object: node })
  }

  /** Stores `object` (plain JSON-LD without @context) as the actor's, without sending anything. */
  async storeObject (actor: ApexNode, object: Record<string, unknown>): Promise<ApexNode> {
    const node = await this.apex.fromJSONLD({ '@context': this.apex.context, ...object }) as ApexNode
    if (await this.store.getObject(node.id) !== null) await this.store.updateObject(node, actor.id, true)
    else await this.store.saveObject(node)
    return node
  }

  /** Replaces the object with a Tombstone and sends Delete to followers. */
  async publishDelete (actor: ApexNode, objectId: string): Promise<ApexNode> {
    const tombstone = await this.apex.buildTombstone({ id: objectId, type: 'Tombstone' })
    await this.store.updateObject(tombstone, actor.id, true)
    return await this.send(actor, 'Delete', { object: objectId })
  }

  /** Sends an activity from `actor`: public, to its followers unless `to` is given. */
  async send (actor: ApexNode, type: string, extras: Record<string, unknown>, to?: string[]): Promise<ApexNode> {
    const followers = first<string>(actor.followers)
    const addressing = to
      ? { cc: [] as string[] }
      : { cc: followers ? [followers] : [] }
    const activity = await this.apex.buildActivity(type, actor.id, to ?? [AS_PUBLIC], { ...addressing, ...extras }) as ApexNode
    await this.apex.addToOutbox(actor, activity)
    return activity
  }
}
