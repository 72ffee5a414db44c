/**
 * The SQLite adapter of the storage port: one better-sqlite3 connection shared by apex's half
 * (objects, streams, contexts), the delivery queue and the hub's own tables.
 */
import crypto from 'node:crypto'
import os from 'node:os'
import Database from 'better-sqlite3'
import type {
  ApexNode, ContextRecord, CoopRecord, Delivery, DeliveryClaim, DeliveryFailure, DeliveryWait, FollowPolicy, FollowRequest,
  FollowState, HubStore, OutgoingFollow, ServiceRecord, TokenRecord
} from '../store.port'
import { migrate } from './migrations'
import { ensurePrivateFile } from '../private-files'
import { makeTransactionsImmediate } from './immediate-transactions'
import { FALLBACK_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer'
import { DirectorySearchThread } from './directory-search-thread'
import { SqliteApexObjects } from './sqlite.apex-objects'
import { SqliteApexStreams } from './sqlite.apex-streams'
import { SqliteDeliveryQueue } from './sqlite.delivery-queue'
import { SqliteHubTables } from './sqlite.hub-tables'
import { SqliteDirectoryRepository } from './sqlite.directory.repository'
import { SqlitePoolRepository } from './sqlite.pool.repository'
import { SqliteAgreementRepository } from './sqlite.agreement.repository'
import { SqliteUmbrellaWorkRepository } from './sqlite.umbrella-work.repository'
import { SqliteUmbrellaNotesRepository } from './sqlite.umbrella-notes.repository'
import { SqliteDeliveryControlRepository } from './sqlite.delivery-control.repository'
import { SqliteDomainBlockRepository } from './sqlite.domain-blocks.repository'
import { SqliteInboxJournalRepository } from './sqlite.inbox-journal.repository'
import { SqliteJobRepository } from './sqlite.jobs.repository'
import { SqliteSourceRepository } from './sqlite.sync-sources.repository'
import { SqliteSiblingRepository } from './sqlite.siblings.repository'
import { SqliteHealthRepository } from './sqlite.health.repository'
import { SqliteProcessRepository } from './sqlite.processes.repository'
import { SqliteOutboxRepository } from './sqlite.outbox.repository'
import type { OutboxRecordChange } from '../ports/outbox.port'
import { SqliteUmbrellaRepository } from './sqlite.umbrella.repository'

/** Tuning for `SqliteStore`; `now` exists so tests can move time. */
export interface SqliteStoreOptions {
  /** How long a dequeued delivery stays claimed before another worker may take it (ms). */
  deliveryLeaseMs?: number
  /** The clock, in ms since the epoch. */
  now?: () => number
  /** This store's process id (owner of the delivery leases it claims); `host:pid:random` when not given. */
  processId?: string
  /**
   * This store serves a hub: WAL checkpoints and directory searches run on worker threads, off
   * the event loop (wal-checkpointer.ts, directory-search-thread.ts). The CLI's short runs need not.
   */
  serving?: boolean
}

const DEFAULT_DELIVERY_LEASE_MS = 60_000

/** `HubStore` on a SQLite file (or `:memory:`). better-sqlite3 is synchronous; apex's methods still answer Promises. */
export class SqliteStore implements HubStore {
  private readonly db: Database.Database
  private readonly objects: SqliteApexObjects
  private readonly streams: SqliteApexStreams
  private readonly deliveries: SqliteDeliveryQueue
  private readonly hub: SqliteHubTables
  readonly directory: SqliteDirectoryRepository
  readonly pools: SqlitePoolRepository
  readonly agreements: SqliteAgreementRepository
  readonly umbrellaWork: SqliteUmbrellaWorkRepository
  readonly umbrellaNotes: SqliteUmbrellaNotesRepository
  readonly domainBlocks: SqliteDomainBlockRepository
  readonly inboxJournal: SqliteInboxJournalRepository
  readonly deliveryControl: SqliteDeliveryControlRepository
  readonly outbox: SqliteOutboxRepository
  readonly jobs: SqliteJobRepository
  readonly syncSources: SqliteSourceRepository
  readonly siblings: SqliteSiblingRepository
  readonly health: SqliteHealthRepository
  readonly processes: SqliteProcessRepository
  readonly umbrellas: SqliteUmbrellaRepository
  private checkpointer: WalCheckpointer | undefined
  private searchThread: DirectorySearchThread | undefined

  /** Opens (creating if needed) the database and brings its schema up to date. */
  constructor (filename: string, options: SqliteStoreOptions = {}) {
    // Every private key is in this file: 0600 before SQLite creates it (its WAL and SHM files take its mode).
    if (filename !== ':memory:' && filename !== '') ensurePrivateFile(filename)
    this.db = new Database(filename)
    try {
      // busy_timeout first, so switching to WAL waits for another process holding the file.
      this.db.pragma('busy_timeout = 5000')
      if (filename !== ':memory:' && filename !== '') this.db.pragma('journal_mode = WAL')
      this.db.pragma('foreign_keys = ON')
      // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commits.
      this.db.pragma('synchronous = NORMAL')
      makeTransactionsImmediate(this.db)
      migrate(this.db)
      if (options.serving === true && filename !== ':memory:' && filename !== '') {
        this.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`)
        this.checkpointer = new WalCheckpointer(filename)
        this.searchThread = new DirectorySearchThread(filename)
      }
    } catch (err) {
      this.db.close()
      throw err
    }
    const now = options.now ?? Date.now
    this.streams = new SqliteApexStreams(this.db)
    this.objects = new SqliteApexObjects(this.db, object => this.streams.refreshEmbeddedCopies(object))
    const processId = options.processId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`
    const leaseMs = options.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS
    this.deliveries = new SqliteDeliveryQueue(this.db, now, leaseMs, processId)
    this.hub = new SqliteHubTables(this.db, now)
    this.directory = new SqliteDirectoryRepository(this.db, now, this.searchThread)
    this.pools = new SqlitePoolRepository(this.db)
    this.agreements = new SqliteAgreementRepository(this.db)
    this.umbrellaWork = new SqliteUmbrellaWorkRepository(this.db)
    this.umbrellaNotes = new SqliteUmbrellaNotesRepository(this.db)
    this.domainBlocks = new SqliteDomainBlockRepository(this.db, now)
    this.inboxJournal = new SqliteInboxJournalRepository(this.db, now, {
      saveObject: object => { this.objects.saveObject(object) },
      saveActivity: activity => this.streams.saveActivity(activity) === true,
      addToCollection: (id, collection) => this.streams.updateActivityMeta(id, 'collection', collection, false)
    })
    this.deliveryControl = new SqliteDeliveryControlRepository(this.db, now)
    this.jobs = new SqliteJobRepository(this.db, now)
    this.syncSources = new SqliteSourceRepository(this.db, now)
    this.siblings = new SqliteSiblingRepository(this.db, now)
    this.health = new SqliteHealthRepository(this.db)
    this.processes = new SqliteProcessRepository(this.db, processId, now)
    this.umbrellas = new SqliteUmbrellaRepository(this.db)
    this.outbox = new SqliteOutboxRepository(this.db, {
      saveObject: object => this.objects.saveObject(object),
      replaceObject: object => { this.objects.updateObject(object, true) },
      saveActivity: activity => { this.streams.saveActivity(activity) },
      applyRecord: change => this.applyRecord(change)
    }, now, leaseMs, processId)
  }

  /** One change of the hub's records, inside the outbox's transaction. */
  private applyRecord (change: OutboxRecordChange): void {
    switch (change.kind) {
      case 'service-upsert': this.hub.upsertService(change.service); return
      case 'service-delete': this.hub.deleteService(change.id); return
      case 'pool-save': this.pools.writePool(change.pool); return
      case 'pool-delete': this.pools.removePool(change.id); return
      case 'pledge-save': this.pools.writePledge(change.pledge); return
      case 'agreement-save': this.agreements.writeAgreement(change.agreement)
    }
  }

  // apex's half

  async setup (initialUser?: ApexNode): Promise<unknown> {
    return this.objects.setup(initialUser)
  }

  async getObject (id: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.objects.getObject(id, includeMeta === true)
  }

  async saveObject (object: ApexNode): Promise<boolean> {
    return this.objects.saveObject(object)
  }

  async updateObject (object: ApexNode, _actorId: string | null, fullReplace: boolean): Promise<ApexNode | undefined> {
    return this.objects.updateObject(object, fullReplace)
  }

  async getActivity (id: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.streams.getActivity(id, Boolean(includeMeta))
  }

  async findActivityByCollectionAndObjectId (collection: string, objectId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.streams.findByCollectionAndObjectId(collection, objectId, Boolean(includeMeta))
  }

  async findActivityByCollectionAndActorId (collection: string, actorId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.streams.findByCollectionAndActorId(collection, actorId, Boolean(includeMeta))
  }

  async getStream (collectionId: string, limit: number | null, after?: string | null, blockList?: string[], query?: unknown): Promise<Array<ApexNode & { _id: string }>> {
    return this.streams.getStream(collectionId, limit, after, blockList, query)
  }

  async getStreamCount (collectionId: string): Promise<number> {
    return this.streams.getStreamCount(collectionId)
  }

  async getContext (documentUrl: string): Promise<ContextRecord | null> {
    return this.objects.getContext(documentUrl)
  }

  async saveContext (context: ContextRecord): Promise<unknown> {
    return this.objects.saveContext(context)
  }

  async getUserCount (): Promise<number> {
    return this.objects.getUserCount()
  }

  async getUsercount (): Promise<number> {
    return this.objects.getUserCount()
  }

  async saveActivity (activity: ApexNode): Promise<boolean | undefined> {
    return this.streams.saveActivity(activity)
  }

  async removeActivity (activity: { id: string }, actorId: string): Promise<{ deletedCount: number }> {
    return this.streams.removeActivity(activity.id, actorId)
  }

  async updateActivity (activity: ApexNode, fullReplace: boolean): Promise<ApexNode> {
    return this.streams.updateActivity(activity, fullReplace)
  }

  async updateActivityMeta (activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexNode> {
    return this.streams.updateActivityMeta(activity.id, key, value, remove === true)
  }

  generateId (): string {
    return crypto.randomBytes(16).toString('hex')
  }

  async deliveryDequeue (): Promise<Delivery | DeliveryWait | null> {
    return this.deliveries.dequeue()
  }

  async deliveryEnqueue (actorId: string, body: string, addresses: string | string[], _signingKey?: string): Promise<boolean | undefined> {
    return this.deliveries.enqueue(actorId, body, addresses)
  }

  async deliveryRequeue (delivery: Delivery): Promise<boolean> {
    return this.deliveries.requeueWithBackoff(delivery)
  }

  // the hub's half

  transaction<T> (work: () => T): T {
    // better-sqlite3 turns a nested call into a savepoint.
    return this.db.transaction(work)()
  }

  saveCoop (coop: CoopRecord): void { this.hub.saveCoop(coop) }
  getCoop (username: string): CoopRecord | null { return this.hub.getCoop(username) }
  getCoopByActorId (actorId: string): CoopRecord | null { return this.hub.getCoopByActorId(actorId) }
  listCoops (): CoopRecord[] { return this.hub.listCoops() }
  setFollowPolicy (username: string, policy: FollowPolicy): void { this.hub.setFollowPolicy(username, policy) }
  deleteCoop (username: string): boolean { return this.hub.deleteCoop(username) }

  saveToken (token: TokenRecord): void { this.hub.saveToken(token) }
  findToken (hash: string): TokenRecord | null { return this.hub.findToken(hash) }

  upsertService (service: ServiceRecord): 'created' | 'updated' { return this.hub.upsertService(service) }
  getService (id: string): ServiceRecord | null { return this.hub.getService(id) }
  deleteService (id: string): boolean { return this.hub.deleteService(id) }
  listServices (filter: { actorId?: string, category?: string, local?: boolean }): ServiceRecord[] { return this.hub.listServices(filter) }

  saveOutgoingFollow (follow: OutgoingFollow): void { this.hub.saveOutgoingFollow(follow) }
  setOutgoingFollowState (followId: string, state: FollowState): boolean { return this.hub.setOutgoingFollowState(followId, state) }
  findOutgoingFollow (localActorId: string, targetActorId: string): OutgoingFollow | null { return this.hub.findOutgoingFollow(localActorId, targetActorId) }
  listOutgoingFollows (localActorId?: string): OutgoingFollow[] { return this.hub.listOutgoingFollows(localActorId) }
  deleteOutgoingFollow (followId: string): boolean { return this.hub.deleteOutgoingFollow(followId) }
  isFollowedByAnyCoop (actorId: string): boolean { return this.hub.isFollowedByAnyCoop(actorId) }

  saveFollowRequest (request: FollowRequest): void { this.hub.saveFollowRequest(request) }
  getFollowRequest (followId: string): FollowRequest | null { return this.hub.getFollowRequest(followId) }
  setFollowRequestState (followId: string, state: FollowState): boolean { return this.hub.setFollowRequestState(followId, state) }
  listFollowRequests (localActorId: string, state?: FollowState): FollowRequest[] { return this.hub.listFollowRequests(localActorId, state) }

  deliveryClaim (limit: number): DeliveryClaim { return this.deliveries.claimDue(limit) }
  deliveryComplete (ids: number | readonly number[]): void { this.deliveries.complete(ids) }
  deliveryRelease (ids: readonly number[]): void { this.deliveries.releaseClaims(ids) }
  deliveryReschedule (id: number, nextAttemptAt: Date, lastError: string): void { this.deliveries.rescheduleAt(id, nextAttemptAt, lastError) }
  deliveryFail (id: number, reason: string): void { this.deliveries.fail(id, reason) }
  deliveryQueueSize (): number { return this.deliveries.queueSize() }
  listDeliveryFailures (limit: number): DeliveryFailure[] { return this.deliveries.listFailures(limit) }

  getSetting (key: string): string | null { return this.hub.getSetting(key) }
  setSetting (key: string, value: string): void { this.hub.setSetting(key, value) }

  close (): void {
    if (this.db.open) this.db.close()
    this.searchThread?.stop()
    void this.checkpointer?.stop()
  }

  /** Ends the background checkpoints (after one last one) before closing, so no file is written afterwards. */
  async shutdown (): Promise<void> {
    await this.checkpointer?.stop()
    this.close()
  }

  /** Stops the background checkpoints after one last one (before a backup or at exit). */
  async stopCheckpoints (): Promise<void> {
    await this.checkpointer?.stop()
  }
}
