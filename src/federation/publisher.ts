import type { ApexNode, HubStore } from '../store/store.port'
import type { OutboxEntry, OutboxRecordChange } from '../store/ports/outbox.port'
import { AS_PUBLIC, first, idOf } from '../domain/activity-streams/nodes'
import type { Apex } from './apex-setup'
import { crashPoint } from './crash-point'
import { afterPendingIo } from './pending-io'

/** What is stored in the same transaction as a published activity. */
export interface Alongside {
  /** Objects inserted, or replacing the stored one of the same id. */
  objects?: ApexNode[]
  /** Objects as plain JSON-LD (without @context), stored as `objects` are. */
  documents?: Array<Record<string, unknown>>
  /** The hub's own records that change with the activity. */
  records?: OutboxRecordChange[]
}

/** A publish built but not stored yet: `Publisher.commit` stores several in one transaction. */
export interface PreparedPublish {
  readonly activity: ApexNode
  /** @internal What the outbox stores for it. */
  readonly entry: OutboxEntry
}

/**
 * Publishes a local actor's objects through a transactional outbox: the object, the activity
 * (in the actor's outbox collection, as apex keeps it) and a job to resolve its audience are
 * stored in one transaction; the delivery worker resolves the audience (followers, explicit
 * recipients, which may need a fetch) and queues the deliveries. A crash at any point leaves
 * either nothing or an activity that will be delivered.
 */
export class Publisher {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    /** Called after each publish is stored: starts resolving its audience. */
    private readonly onStored: () => void = () => {}
  ) {}

  /** The local actor with its private bookkeeping, or null. */
  async localActor (actorId: string): Promise<ApexNode | null> {
    const actor = await this.store.getObject(actorId, true)
    return actor && actor._meta?.privateKey ? actor : null
  }

  /**
   * Stores `object` (plain JSON-LD without @context) and sends Create or Update of it to
   * followers; `records` are stored in the same transaction.
   */
  async publishObject (actor: ApexNode, kind: 'Create' | 'Update', object: Record<string, unknown>, records: OutboxRecordChange[] = []): Promise<ApexNode> {
    const prepared = await this.prepareObject(actor, kind, object, records)
    await this.commit([prepared])
    return prepared.activity
  }

  /** `publishObject` built but not stored: pass it to `commit`. */
  async prepareObject (actor: ApexNode, kind: 'Create' | 'Update', object: Record<string, unknown>, records: OutboxRecordChange[] = []): Promise<PreparedPublish> {
    const node = await this.nodeOf(object)
    await afterPendingIo()
    return await this.prepare(actor, kind, { object: node }, undefined, { objects: [node], records })
  }

  /** Stores `object` (plain JSON-LD without @context) as the actor's, without sending anything. */
  async storeObject (actor: ApexNode, object: Record<string, unknown>): Promise<ApexNode> {
    const node = await this.nodeOf(object)
    if (await this.store.getObject(node.id) !== null) await this.store.updateObject(node, actor.id, true)
    else await this.store.saveObject(node)
    return node
  }

  /** Replaces the object with a Tombstone and sends Delete to followers; `records` are stored with it. */
  async publishDelete (actor: ApexNode, objectId: string, records: OutboxRecordChange[] = []): Promise<ApexNode> {
    const tombstone = await this.apex.buildTombstone({ id: objectId, type: 'Tombstone' })
    return await this.send(actor, 'Delete', { object: objectId }, undefined, { objects: [tombstone], records })
  }

  /** Sends an activity from `actor`: public, to its followers unless `to` is given. */
  async send (actor: ApexNode, type: string, extras: Record<string, unknown>, to?: string[], alongside: Alongside = {}): Promise<ApexNode> {
    const prepared = await this.prepare(actor, type, extras, to, alongside)
    await this.commit([prepared])
    return prepared.activity
  }

  /** `send` built but not stored: pass it to `commit`. */
  async prepare (actor: ApexNode, type: string, extras: Record<string, unknown>, to?: string[], alongside: Alongside = {}): Promise<PreparedPublish> {
    const followers = first<string>(actor.followers)
    const addressing = to
      ? { cc: [] as string[] }
      : { cc: followers ? [followers] : [] }
    const activity = await this.apex.buildActivity(type, actor.id, to ?? [AS_PUBLIC], { ...addressing, ...extras }) as ApexNode
    return await this.preparePost(actor, activity, alongside)
  }

  /**
   * apex's `addToOutbox` made transactional: adds `activity` to the actor's outbox and queues
   * its delivery to its audience, with `alongside` in the same transaction.
   */
  async post (actor: ApexNode, activity: ApexNode, alongside: Alongside = {}): Promise<void> {
    await this.commit([await this.preparePost(actor, activity, alongside)])
  }

  /** `post` built but not stored: pass it to `commit`. */
  async preparePost (actor: ApexNode, activity: ApexNode, alongside: Alongside = {}): Promise<PreparedPublish> {
    const outbox = first<string>(actor.outbox)
    if (outbox !== undefined) addCollection(activity, outbox)
    const documents = await Promise.all((alongside.documents ?? []).map(async d => await this.nodeOf(d)))
    const entry = { objects: [...(alongside.objects ?? []), ...documents], records: alongside.records ?? [], activity }
    return { activity, entry: await this.withResolution(actor, activity, entry) }
  }

  /**
   * apex's `publishActivity` (inbox forwarding): queues delivery of an already stored activity
   * to `audience`, or to its own addressing.
   */
  async deliver (actor: ApexNode, activity: ApexNode, audience?: string[]): Promise<void> {
    await this.commit([{ activity, entry: await this.withResolution(actor, activity, {}, audience) }])
  }

  /**
   * Stores prepared publishes in one transaction, in order: every activity with its objects,
   * records and audience job, or (on any failure) none of them.
   */
  async commit (publishes: PreparedPublish[]): Promise<void> {
    if (publishes.length === 0) return
    await afterPendingIo()
    // A crash here must leave nothing of the change: its records are stored only below.
    crashPoint('outbox-storing')
    await this.store.outbox.publishAll(publishes.map(p => p.entry))
    // A crash here (the publish stored, no delivery queued yet) is what the outbox is for.
    crashPoint('outbox-stored')
    this.onStored()
  }

  private async withResolution (actor: ApexNode, activity: ApexNode, entry: Omit<OutboxEntry, 'resolution'>, audience?: string[]): Promise<OutboxEntry> {
    // Building, serialising and storing a publish are each a few ms of JSON-LD or SQLite: requests
    // that arrived meanwhile are answered between them, not after all of them.
    await afterPendingIo()
    const body = this.apex.stringifyPublicJSONLD(await this.apex.toJSONLD(activity))
    return {
      ...entry,
      resolution: {
        activityId: activity.id,
        actorId: actor.id,
        body,
        audience: [...new Set(audience ?? this.apex.audienceFromActivity(activity))],
        orderingKey: idOf(activity.object) ?? null
      }
    }
  }

  private async nodeOf (object: Record<string, unknown>): Promise<ApexNode> {
    return await this.apex.fromJSONLD({ '@context': this.apex.context, ...object }) as ApexNode
  }
}

/** Adds the activity to a collection, as apex's `addMeta(activity, 'collection', …)` does. */
function addCollection (activity: ApexNode, collection: string): void {
  const meta = activity._meta ?? (activity._meta = {})
  const current = meta.collection
  meta.collection = Array.isArray(current) ? [...current, collection] : [collection]
}
