/**
 * The PostgreSQL adapter of the storage port: one connection pool shared by apex's half
 * (objects, streams, contexts), the delivery queue, the hub's own tables and every repository.
 * `transaction` holds one pooled connection in AsyncLocalStorage (postgres-database.ts): every
 * store method `work` calls joins it; calls from elsewhere run on other connections.
 * Opened by the hub when `HUB_DATABASE_URL` is set (src/store/open-store.ts; docs/scaling.md).
 */
import crypto from 'node:crypto'
import os from 'node:os'
import type {
  ApexNode, ChangeStamps, ContextRecord, CoopRecord, Delivery, DeliveryClaim, DeliveryFailure, DeliveryWait, FollowPolicy, FollowRequest,
  FollowState, HubStore, OutgoingFollow, ServiceRecord, TokenRecord
} from '../store.port'
import type { OutboxRecordChange } from '../ports/outbox.port'
import { migratePostgres } from './migrations'
import { PostgresDatabase, type Queryable } from './postgres-database'
import { PostgresApexDocuments, saveActivityOn, saveObjectOn, updateObjectOn } from './postgres.apex-documents'
import { PostgresDeliveryQueue } from './postgres.delivery-queue'
import { deleteServiceOn, PostgresHubTables, upsertServiceOn } from './postgres.hub-tables'
import { PostgresAgreementRepository, writeAgreement } from './postgres.agreement.repository'
import { PostgresDeliveryControlRepository } from './postgres.delivery-control.repository'
import { PostgresDirectoryRepository } from './postgres.directory.repository'
import { PostgresDomainBlockRepository } from './postgres.domain-blocks.repository'
import { PostgresHealthRepository } from './postgres.health.repository'
import { PostgresInboxJournalRepository } from './postgres.inbox-journal.repository'
import { PostgresJobRepository } from './postgres.jobs.repository'
import { PostgresOutboxRepository } from './postgres.outbox.repository'
import { PostgresPoolRepository, removePool, writePledge, writePool } from './postgres.pool.repository'
import { PostgresProcessRepository } from './postgres.processes.repository'
import { PostgresStoreWakeups } from './postgres-wakeups'
import { PostgresSiblingRepository } from './postgres.siblings.repository'
import { PostgresSourceRepository } from './postgres.sync-sources.repository'
import { PostgresUmbrellaNotesRepository } from './postgres.umbrella-notes.repository'
import { PostgresUmbrellaWorkRepository } from './postgres.umbrella-work.repository'
import { PostgresUmbrellaRepository } from './postgres.umbrella.repository'

/** Tuning for `PostgresStore`; `now` exists so tests can move time. */
export interface PostgresStoreOptions {
  /** How long a claimed delivery or resolution stays leased before another process may take it (ms). */
  deliveryLeaseMs?: number
  /** The clock, in ms since the epoch. */
  now?: () => number
  /** This store's process id (owner of the leases it claims); `host:pid:random` when not given. */
  processId?: string
  /** Connections in the pool. */
  maxConnections?: number
}

const DEFAULT_DELIVERY_LEASE_MS = 60_000

/** `HubStore` on a PostgreSQL database the hub owns. */
export class PostgresStore implements HubStore {
  private readonly documents: PostgresApexDocuments
  /** Counts `changeStamps` calls: each answers stamps no earlier call did. */
  private stampCalls = 0
  private readonly deliveries: PostgresDeliveryQueue
  private readonly hub: PostgresHubTables
  readonly directory: PostgresDirectoryRepository
  readonly pools: PostgresPoolRepository
  readonly agreements: PostgresAgreementRepository
  readonly umbrellaWork: PostgresUmbrellaWorkRepository
  readonly umbrellaNotes: PostgresUmbrellaNotesRepository
  readonly domainBlocks: PostgresDomainBlockRepository
  readonly inboxJournal: PostgresInboxJournalRepository
  readonly deliveryControl: PostgresDeliveryControlRepository
  readonly outbox: PostgresOutboxRepository
  readonly jobs: PostgresJobRepository
  readonly syncSources: PostgresSourceRepository
  readonly siblings: PostgresSiblingRepository
  readonly health: PostgresHealthRepository
  readonly processes: PostgresProcessRepository
  readonly umbrellas: PostgresUmbrellaRepository
  readonly wakeups: PostgresStoreWakeups

  /** Connects to `url` and brings the schema up to date. */
  static async open (url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const db = new PostgresDatabase(url, { max: options.maxConnections })
    try {
      await migratePostgres(db)
    } catch (err) {
      await db.close()
      throw err
    }
    return new PostgresStore(db, options)
  }

  /** Builds the store on a migrated database; `open` is the usual way in. */
  constructor (private readonly db: PostgresDatabase, options: PostgresStoreOptions = {}) {
    const now = options.now ?? Date.now
    const processId = options.processId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`
    const leaseMs = options.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS
    this.documents = new PostgresApexDocuments(db, now)
    this.deliveries = new PostgresDeliveryQueue(db, now, leaseMs, processId)
    this.hub = new PostgresHubTables(db, now)
    this.directory = new PostgresDirectoryRepository(db, now)
    this.pools = new PostgresPoolRepository(db)
    this.agreements = new PostgresAgreementRepository(db)
    this.umbrellaWork = new PostgresUmbrellaWorkRepository(db)
    this.umbrellaNotes = new PostgresUmbrellaNotesRepository(db)
    this.domainBlocks = new PostgresDomainBlockRepository(db, now)
    this.inboxJournal = new PostgresInboxJournalRepository(db, now)
    this.deliveryControl = new PostgresDeliveryControlRepository(db, now)
    this.jobs = new PostgresJobRepository(db, now)
    this.syncSources = new PostgresSourceRepository(db, now)
    this.siblings = new PostgresSiblingRepository(db, now)
    this.health = new PostgresHealthRepository(db)
    this.processes = new PostgresProcessRepository(db, processId, now)
    this.umbrellas = new PostgresUmbrellaRepository(db)
    this.wakeups = new PostgresStoreWakeups(db.pool.options.connectionString ?? '')
    this.outbox = new PostgresOutboxRepository(db, {
      saveObject: saveObjectOn,
      replaceObject: async (tx, object) => { await updateObjectOn(tx, object, true) },
      saveActivity: async (tx, activity) => { await saveActivityOn(tx, activity) },
      applyRecord: applyRecordOn
    }, now, leaseMs, processId)
  }

  // apex's half

  async setup (initialUser?: ApexNode): Promise<unknown> { return await this.documents.setup(initialUser) }
  async getObject (id: string, includeMeta?: boolean): Promise<ApexNode | null> { return await this.documents.getObject(id, includeMeta) }
  async saveObject (object: ApexNode): Promise<boolean> { return await this.documents.saveObject(object) }
  async updateObject (object: ApexNode, actorId: string | null, fullReplace: boolean): Promise<ApexNode | undefined> {
    return await this.documents.updateObject(object, actorId, fullReplace)
  }

  async getActivity (id: string, includeMeta?: boolean): Promise<ApexNode | null> { return await this.documents.getActivity(id, includeMeta) }
  async findActivityByCollectionAndObjectId (collection: string, objectId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return await this.documents.findActivityByCollectionAndObjectId(collection, objectId, includeMeta)
  }

  async findActivityByCollectionAndActorId (collection: string, actorId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return await this.documents.findActivityByCollectionAndActorId(collection, actorId, includeMeta)
  }

  async getStream (collectionId: string, limit: number | null, after?: string | null, blockList?: string[], query?: unknown): Promise<Array<ApexNode & { _id: string }>> {
    return await this.documents.getStream(collectionId, limit, after, blockList, query)
  }

  async getStreamCount (collectionId: string): Promise<number> { return await this.documents.getStreamCount(collectionId) }
  async getContext (documentUrl: string): Promise<ContextRecord | null> { return await this.documents.getContext(documentUrl) }
  async saveContext (context: ContextRecord): Promise<unknown> { return await this.documents.saveContext(context) }
  async getUserCount (): Promise<number> { return await this.documents.getUserCount() }
  async getUsercount (): Promise<number> { return await this.documents.getUserCount() }
  async saveActivity (activity: ApexNode): Promise<boolean | undefined> { return await this.documents.saveActivity(activity) }
  async removeActivity (activity: { id: string }, actorId: string): Promise<{ deletedCount: number }> { return await this.documents.removeActivity(activity, actorId) }
  async updateActivity (activity: ApexNode, fullReplace: boolean): Promise<ApexNode> { return await this.documents.updateActivity(activity, fullReplace) }
  async updateActivityMeta (activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexNode> {
    return await this.documents.updateActivityMeta(activity, key, value, remove)
  }

  generateId (): string { return this.documents.generateId() }
  async deliveryDequeue (): Promise<Delivery | DeliveryWait | null> { return await this.deliveries.dequeue() }
  async deliveryEnqueue (actorId: string, body: string, addresses: string | string[], _signingKey?: string): Promise<boolean | undefined> {
    return await this.deliveries.enqueue(actorId, body, addresses)
  }

  async deliveryRequeue (delivery: Delivery): Promise<boolean> { return await this.deliveries.requeueWithBackoff(delivery) }

  // the hub's half

  async transaction<T>(work: () => Promise<T>): Promise<T> { return await this.db.transaction(async () => await work()) }

  async holdsId (id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM objects WHERE id = $1)
           OR EXISTS (SELECT 1 FROM streams WHERE id = $1)
           OR EXISTS (SELECT 1 FROM streams WHERE object_id = $1 AND type = 'Create')
           OR EXISTS (SELECT 1 FROM services WHERE id = $1)
           OR EXISTS (SELECT 1 FROM pools WHERE id = $1) AS held`, [id])
    return rows[0].held
  }

  /** Never at once: every read here is a round trip. */
  holdsIdNow (): boolean | undefined {
    return undefined
  }

  /** No stamps are kept on PostgreSQL: every call answers new ones, so what they stamp is read again. */
  async changeStamps (): Promise<ChangeStamps> {
    this.stampCalls += 1
    return { documents: this.stampCalls, domainBlocks: this.stampCalls, blockedCollections: this.stampCalls }
  }

  /** Never at once: a read here is a round trip, and with no stamps kept it would answer new ones anyway. */
  changeStampsNow (): ChangeStamps | null {
    return null
  }

  async saveCoop (coop: CoopRecord): Promise<void> { await this.hub.saveCoop(coop) }
  async getCoop (username: string): Promise<CoopRecord | null> { return await this.hub.getCoop(username) }
  async getCoopByActorId (actorId: string): Promise<CoopRecord | null> { return await this.hub.getCoopByActorId(actorId) }
  async listCoops (): Promise<CoopRecord[]> { return await this.hub.listCoops() }
  async setFollowPolicy (username: string, policy: FollowPolicy): Promise<void> { await this.hub.setFollowPolicy(username, policy) }
  async deleteCoop (username: string): Promise<boolean> { return await this.hub.deleteCoop(username) }
  async saveToken (token: TokenRecord): Promise<void> { await this.hub.saveToken(token) }
  async findToken (hash: string): Promise<TokenRecord | null> { return await this.hub.findToken(hash) }
  async upsertService (service: ServiceRecord): Promise<'created' | 'updated'> { return await upsertServiceOn(this.db, service) }
  async getService (id: string): Promise<ServiceRecord | null> { return await this.hub.getService(id) }
  async deleteService (id: string): Promise<boolean> { return await deleteServiceOn(this.db, id) }
  async listServices (filter: { actorId?: string, category?: string, local?: boolean }): Promise<ServiceRecord[]> { return await this.hub.listServices(filter) }
  async saveOutgoingFollow (follow: OutgoingFollow): Promise<void> { await this.hub.saveOutgoingFollow(follow) }
  async setOutgoingFollowState (followId: string, state: FollowState): Promise<boolean> { return await this.hub.setOutgoingFollowState(followId, state) }
  async findOutgoingFollow (localActorId: string, targetActorId: string): Promise<OutgoingFollow | null> {
    return await this.hub.findOutgoingFollow(localActorId, targetActorId)
  }

  async listOutgoingFollows (localActorId?: string): Promise<OutgoingFollow[]> { return await this.hub.listOutgoingFollows(localActorId) }
  async deleteOutgoingFollow (followId: string): Promise<boolean> { return await this.hub.deleteOutgoingFollow(followId) }
  async isFollowedByAnyCoop (actorId: string): Promise<boolean> { return await this.hub.isFollowedByAnyCoop(actorId) }
  async saveFollowRequest (request: FollowRequest): Promise<void> { await this.hub.saveFollowRequest(request) }
  async getFollowRequest (followId: string): Promise<FollowRequest | null> { return await this.hub.getFollowRequest(followId) }
  async setFollowRequestState (followId: string, state: FollowState): Promise<boolean> { return await this.hub.setFollowRequestState(followId, state) }
  async listFollowRequests (localActorId: string, state?: FollowState): Promise<FollowRequest[]> { return await this.hub.listFollowRequests(localActorId, state) }
  async deliveryClaim (limit: number): Promise<DeliveryClaim> { return await this.deliveries.claimDue(limit) }
  async deliveryComplete (ids: number | readonly number[]): Promise<void> { await this.deliveries.complete(ids) }
  async deliveryRelease (ids: readonly number[]): Promise<void> { await this.deliveries.releaseClaims(ids) }
  async deliveryReschedule (id: number, nextAttemptAt: Date, lastError: string): Promise<void> { await this.deliveries.rescheduleAt(id, nextAttemptAt, lastError) }
  async deliveryFail (id: number, reason: string): Promise<void> { await this.deliveries.fail(id, reason) }
  async deliveryQueueSize (): Promise<number> { return await this.deliveries.queueSize() }
  async listDeliveryFailures (limit: number): Promise<DeliveryFailure[]> { return await this.deliveries.listFailures(limit) }
  async getSetting (key: string): Promise<string | null> { return await this.hub.getSetting(key) }
  async setSetting (key: string, value: string): Promise<void> { await this.hub.setSetting(key, value) }
  async claimSetting (key: string, value: string): Promise<string> { return await this.hub.claimSetting(key, value) }

  /** Closes every connection of the pool; later calls fail. */
  async close (): Promise<void> {
    await this.wakeups.close()
    if (!this.db.pool.ended) await this.db.close()
  }

  /** Nothing runs in the background: the same as `close`. */
  async shutdown (): Promise<void> {
    await this.close()
  }
}

/** One change of the hub's records, inside the outbox's transaction. */
async function applyRecordOn (tx: Queryable, change: OutboxRecordChange): Promise<void> {
  switch (change.kind) {
    case 'service-upsert': await upsertServiceOn(tx, change.service); return
    case 'service-delete': await deleteServiceOn(tx, change.id); return
    case 'pool-save': await writePool(tx, change.pool); return
    case 'pool-delete': await removePool(tx, change.id); return
    case 'pledge-save': await writePledge(tx, change.pledge); return
    case 'agreement-save': await writeAgreement(tx, change.agreement)
  }
}
