/**
 * The SQLite adapter of the storage port: one better-sqlite3 connection shared by apex's half
 * (objects, streams, contexts), the delivery queue and the hub's own tables.
 */
import crypto from 'node:crypto'
import os from 'node:os'
import Database from 'better-sqlite3'
import type {
  ApexNode, ChangeStamps, ContextRecord, CoopRecord, Delivery, DeliveryClaim, DeliveryFailure, DeliveryWait, FollowPolicy, FollowRequest,
  FollowState, HubStore, OutgoingFollow, ServiceRecord, TokenRecord
} from '../store.port'
import { migrate } from './migrations'
import { ensurePrivateFile } from '../private-files'
import { makeTransactionsImmediate } from './immediate-transactions'
import { currentReadSnapshot, shareReadsWithinATurn } from './turn-read-snapshots'
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
import { SqliteWakeups } from './sqlite-wakeups'
import { SqliteOutboxRepository } from './sqlite.outbox.repository'
import { SqliteUmbrellaRepository } from './sqlite.umbrella.repository'
import { ConnectionTransactions } from './async-transactions'
import type { DirectoryRepository } from '../ports/directory.port'
import type { PoolRepository } from '../ports/pool.port'
import type { AgreementRepository } from '../ports/agreement.port'
import type { UmbrellaWorkRepository } from '../ports/umbrella-work.port'
import type { UmbrellaNotesRepository } from '../ports/umbrella-notes.port'
import type { DomainBlockRepository } from '../ports/domain-blocks.port'
import type { InboxJournalRepository } from '../ports/inbox-journal.port'
import type { DeliveryControlRepository } from '../ports/delivery-control.port'
import type { OutboxRecordChange, OutboxRepository } from '../ports/outbox.port'
import type { JobRepository } from '../ports/jobs.port'
import type { SourceRepository } from '../ports/sync-sources.port'
import type { SiblingRepository } from '../ports/siblings.port'
import type { HealthRepository } from '../ports/health.port'
import type { ProcessRepository } from '../ports/processes.port'
import type { UmbrellaRepository } from '../ports/umbrella.port'

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

/**
 * `HubStore` on a SQLite file (or `:memory:`). better-sqlite3 is synchronous; every method answers
 * a Promise and passes through `ConnectionTransactions` (async-transactions.ts), which keeps calls
 * from outside an open transaction out of it.
 */
export class SqliteStore implements HubStore {
  private readonly db: Database.Database
  private readonly objects: SqliteApexObjects
  private readonly streams: SqliteApexStreams
  private readonly deliveries: SqliteDeliveryQueue
  private readonly hub: SqliteHubTables
  private readonly tx: ConnectionTransactions
  private readonly stamps: Database.Statement<[], ChangeStamps>
  private readonly anyUnderId: Database.Statement<{ id: string }, { held: number }>
  private keptStamps: { snapshot: number | null, stamps: ChangeStamps } | null = null
  /** The pools' and agreements' synchronous writers, for the outbox's transaction. */
  private readonly poolTables: SqlitePoolRepository
  private readonly agreementTables: SqliteAgreementRepository
  readonly directory: DirectoryRepository
  readonly pools: PoolRepository
  readonly agreements: AgreementRepository
  readonly umbrellaWork: UmbrellaWorkRepository
  readonly umbrellaNotes: UmbrellaNotesRepository
  readonly domainBlocks: DomainBlockRepository
  readonly inboxJournal: InboxJournalRepository
  readonly deliveryControl: DeliveryControlRepository
  readonly outbox: OutboxRepository
  readonly jobs: JobRepository
  readonly syncSources: SourceRepository
  readonly siblings: SiblingRepository
  readonly health: HealthRepository
  readonly processes: ProcessRepository
  readonly umbrellas: UmbrellaRepository
  readonly wakeups = new SqliteWakeups()
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
      // A write that fires triggers inside a transaction (every received activity's inbox row)
      // keeps a statement journal; on the default, SQLite creates and deletes a temporary file
      // for it in each transaction. In memory it is a few pages per statement. This
      // connection's queries sort and group small sets (a directory page's sort keeps only the
      // page); a serving hub searches the directory on a connection of its own.
      this.db.pragma('temp_store = MEMORY')
      makeTransactionsImmediate(this.db)
      shareReadsWithinATurn(this.db)
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
    this.tx = new ConnectionTransactions(this.db)
    // Kept by triggers (migrations 20 and 23): one row per kind, all read in one step.
    this.stamps = this.db.prepare<[], ChangeStamps>(
      `SELECT MAX(CASE WHEN name = 'documents' THEN value END) AS documents,
              MAX(CASE WHEN name = 'domain_blocks' THEN value END) AS domainBlocks,
              MAX(CASE WHEN name = 'blocked_collections' THEN value END) AS blockedCollections FROM change_stamps`)
    this.anyUnderId = this.db.prepare<{ id: string }, { held: number }>(
      `SELECT EXISTS (SELECT 1 FROM objects WHERE id = :id)
           OR EXISTS (SELECT 1 FROM streams WHERE id = :id)
           OR EXISTS (SELECT 1 FROM streams WHERE object_id = :id AND type = 'Create')
           OR EXISTS (SELECT 1 FROM services WHERE id = :id)
           OR EXISTS (SELECT 1 FROM pools WHERE id = :id) AS held`)
    // The journal remembers inbox receipts an activity takes with it when it leaves an inbox.
    this.streams = new SqliteApexStreams(this.db, (seq, collections) => { journal.rememberLeaving(seq, collections) })
    this.objects = new SqliteApexObjects(this.db, object => this.streams.refreshEmbeddedCopies(object), id => this.streams.heldInCreate(id))
    const journal = new SqliteInboxJournalRepository(this.db, now, {
      saveObject: object => { this.objects.saveObject(object) },
      saveActivity: (activity, receivedBy) => this.streams.saveActivityInTransaction(activity, receivedBy) === true,
      addToInbox: (id, receivedBy) => this.streams.updateActivityMeta(id, 'collection', receivedBy.inbox, false, receivedBy)
    })
    const processId = options.processId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`
    const leaseMs = options.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS
    this.deliveries = new SqliteDeliveryQueue(this.db, now, leaseMs, processId)
    this.hub = new SqliteHubTables(this.db, now)
    this.directory = this.tx.gate(new SqliteDirectoryRepository(this.db, now, this.searchThread))
    this.poolTables = new SqlitePoolRepository(this.db)
    this.pools = this.tx.gate(this.poolTables)
    this.agreementTables = new SqliteAgreementRepository(this.db)
    this.agreements = this.tx.gate(this.agreementTables)
    this.umbrellaWork = this.tx.gate(new SqliteUmbrellaWorkRepository(this.db))
    this.umbrellaNotes = this.tx.gate(new SqliteUmbrellaNotesRepository(this.db))
    this.domainBlocks = this.tx.gate(new SqliteDomainBlockRepository(this.db, now))
    this.inboxJournal = this.tx.gate(journal)
    this.deliveryControl = this.tx.gate(new SqliteDeliveryControlRepository(this.db, now))
    this.jobs = this.tx.gate(new SqliteJobRepository(this.db, now))
    this.syncSources = this.tx.gate(new SqliteSourceRepository(this.db, now))
    this.siblings = this.tx.gate(new SqliteSiblingRepository(this.db, now))
    this.health = this.tx.gate(new SqliteHealthRepository(this.db))
    this.processes = this.tx.gate(new SqliteProcessRepository(this.db, processId, now))
    this.umbrellas = this.tx.gate(new SqliteUmbrellaRepository(this.db))
    this.outbox = this.tx.gate(new SqliteOutboxRepository(this.db, {
      saveObject: object => this.objects.saveObject(object),
      replaceObject: object => { this.objects.updateObject(object, true) },
      saveActivity: activity => { this.streams.saveActivity(activity) },
      applyRecord: change => this.applyRecord(change)
    }, now, leaseMs, processId))
  }

  /** One change of the hub's records, inside the outbox's transaction. */
  private applyRecord (change: OutboxRecordChange): void {
    switch (change.kind) {
      case 'service-upsert': this.hub.upsertService(change.service); return
      case 'service-delete': this.hub.deleteService(change.id); return
      case 'pool-save': this.poolTables.writePool(change.pool); return
      case 'pool-delete': this.poolTables.removePool(change.id); return
      case 'pledge-save': this.poolTables.writePledge(change.pledge); return
      case 'agreement-save': this.agreementTables.writeAgreement(change.agreement)
    }
  }

  // apex's half

  setup (initialUser?: ApexNode): Promise<unknown> {
    return this.tx.run(() => this.objects.setup(initialUser))
  }

  getObject (id: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.tx.run(() => this.objects.getObject(id, includeMeta === true))
  }

  saveObject (object: ApexNode): Promise<boolean> {
    return this.tx.run(() => this.objects.saveObject(object))
  }

  updateObject (object: ApexNode, _actorId: string | null, fullReplace: boolean): Promise<ApexNode | undefined> {
    return this.tx.run(() => this.objects.updateObject(object, fullReplace))
  }

  getActivity (id: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.tx.run(() => this.streams.getActivity(id, Boolean(includeMeta)))
  }

  findActivityByCollectionAndObjectId (collection: string, objectId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.tx.run(() => this.streams.findByCollectionAndObjectId(collection, objectId, Boolean(includeMeta)))
  }

  findActivityByCollectionAndActorId (collection: string, actorId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return this.tx.run(() => this.streams.findByCollectionAndActorId(collection, actorId, Boolean(includeMeta)))
  }

  getStream (collectionId: string, limit: number | null, after?: string | null, blockList?: string[], query?: unknown): Promise<Array<ApexNode & { _id: string }>> {
    return this.tx.run(() => this.streams.getStream(collectionId, limit, after, blockList, query))
  }

  getStreamCount (collectionId: string): Promise<number> {
    return this.tx.run(() => this.streams.getStreamCount(collectionId))
  }

  getContext (documentUrl: string): Promise<ContextRecord | null> {
    return this.tx.run(() => this.objects.getContext(documentUrl))
  }

  saveContext (context: ContextRecord): Promise<unknown> {
    return this.tx.run(() => this.objects.saveContext(context))
  }

  getUserCount (): Promise<number> {
    return this.tx.run(() => this.objects.getUserCount())
  }

  getUsercount (): Promise<number> {
    return this.tx.run(() => this.objects.getUserCount())
  }

  saveActivity (activity: ApexNode): Promise<boolean | undefined> {
    return this.tx.run(() => this.streams.saveActivity(activity))
  }

  removeActivity (activity: { id: string }, actorId: string): Promise<{ deletedCount: number }> {
    return this.tx.run(() => this.streams.removeActivity(activity.id, actorId))
  }

  updateActivity (activity: ApexNode, fullReplace: boolean): Promise<ApexNode> {
    return this.tx.run(() => this.streams.updateActivity(activity, fullReplace))
  }

  updateActivityMeta (activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexNode> {
    return this.tx.run(() => this.streams.updateActivityMeta(activity.id, key, value, remove === true))
  }

  generateId (): string {
    return crypto.randomBytes(16).toString('hex')
  }

  deliveryDequeue (): Promise<Delivery | DeliveryWait | null> {
    return this.tx.run(() => this.deliveries.dequeue())
  }

  deliveryEnqueue (actorId: string, body: string, addresses: string | string[], _signingKey?: string): Promise<boolean | undefined> {
    return this.tx.run(() => this.deliveries.enqueue(actorId, body, addresses))
  }

  deliveryRequeue (delivery: Delivery): Promise<boolean> {
    return this.tx.run(() => this.deliveries.requeueWithBackoff(delivery))
  }

  // the hub's half

  transaction<T> (work: () => Promise<T>): Promise<T> {
    return this.tx.transaction(work)
  }

  holdsId (id: string): Promise<boolean> { return this.tx.run(() => this.holds(id)) }

  holdsIdNow (id: string): boolean | undefined { return this.tx.wouldRunNow() ? this.holds(id) : undefined }

  private holds (id: string): boolean { return (this.anyUnderId.get({ id }) as { held: number }).held === 1 }

  changeStamps (): Promise<ChangeStamps> {
    return this.tx.run(() => this.readStamps())
  }

  changeStampsNow (): ChangeStamps | null {
    return this.tx.wouldRunNow() ? this.readStamps() : null
  }

  private readStamps (): ChangeStamps {
    // Within one turn's read transaction the stamps cannot move: read them once per turn.
    const snapshot = currentReadSnapshot(this.db)
    if (snapshot !== null && this.keptStamps?.snapshot === snapshot) return this.keptStamps.stamps
    const stamps = this.stamps.get() as ChangeStamps
    // Asked again: the read above may be what began this turn's read transaction.
    this.keptStamps = { snapshot: currentReadSnapshot(this.db), stamps }
    return stamps
  }

  saveCoop (coop: CoopRecord): Promise<void> { return this.tx.run(() => this.hub.saveCoop(coop)) }
  getCoop (username: string): Promise<CoopRecord | null> { return this.tx.run(() => this.hub.getCoop(username)) }
  getCoopByActorId (actorId: string): Promise<CoopRecord | null> { return this.tx.run(() => this.hub.getCoopByActorId(actorId)) }
  listCoops (): Promise<CoopRecord[]> { return this.tx.run(() => this.hub.listCoops()) }
  setFollowPolicy (username: string, policy: FollowPolicy): Promise<void> { return this.tx.run(() => this.hub.setFollowPolicy(username, policy)) }
  deleteCoop (username: string): Promise<boolean> { return this.tx.run(() => this.hub.deleteCoop(username)) }

  saveToken (token: TokenRecord): Promise<void> { return this.tx.run(() => this.hub.saveToken(token)) }
  findToken (hash: string): Promise<TokenRecord | null> { return this.tx.run(() => this.hub.findToken(hash)) }

  upsertService (service: ServiceRecord): Promise<'created' | 'updated'> { return this.tx.run(() => this.hub.upsertService(service)) }
  getService (id: string): Promise<ServiceRecord | null> { return this.tx.run(() => this.hub.getService(id)) }
  deleteService (id: string): Promise<boolean> { return this.tx.run(() => this.hub.deleteService(id)) }
  listServices (filter: { actorId?: string, category?: string, local?: boolean }): Promise<ServiceRecord[]> { return this.tx.run(() => this.hub.listServices(filter)) }

  saveOutgoingFollow (follow: OutgoingFollow): Promise<void> { return this.tx.run(() => this.hub.saveOutgoingFollow(follow)) }
  setOutgoingFollowState (followId: string, state: FollowState): Promise<boolean> { return this.tx.run(() => this.hub.setOutgoingFollowState(followId, state)) }
  findOutgoingFollow (localActorId: string, targetActorId: string): Promise<OutgoingFollow | null> { return this.tx.run(() => this.hub.findOutgoingFollow(localActorId, targetActorId)) }
  listOutgoingFollows (localActorId?: string): Promise<OutgoingFollow[]> { return this.tx.run(() => this.hub.listOutgoingFollows(localActorId)) }
  deleteOutgoingFollow (followId: string): Promise<boolean> { return this.tx.run(() => this.hub.deleteOutgoingFollow(followId)) }
  isFollowedByAnyCoop (actorId: string): Promise<boolean> { return this.tx.run(() => this.hub.isFollowedByAnyCoop(actorId)) }

  saveFollowRequest (request: FollowRequest): Promise<void> { return this.tx.run(() => this.hub.saveFollowRequest(request)) }
  getFollowRequest (followId: string): Promise<FollowRequest | null> { return this.tx.run(() => this.hub.getFollowRequest(followId)) }
  setFollowRequestState (followId: string, state: FollowState): Promise<boolean> { return this.tx.run(() => this.hub.setFollowRequestState(followId, state)) }
  listFollowRequests (localActorId: string, state?: FollowState): Promise<FollowRequest[]> { return this.tx.run(() => this.hub.listFollowRequests(localActorId, state)) }

  deliveryClaim (limit: number): Promise<DeliveryClaim> { return this.tx.run(() => this.deliveries.claimDue(limit)) }
  deliveryComplete (ids: number | readonly number[]): Promise<void> { return this.tx.run(() => this.deliveries.complete(ids)) }
  deliveryRelease (ids: readonly number[]): Promise<void> { return this.tx.run(() => this.deliveries.releaseClaims(ids)) }
  deliveryReschedule (id: number, nextAttemptAt: Date, lastError: string): Promise<void> { return this.tx.run(() => this.deliveries.rescheduleAt(id, nextAttemptAt, lastError)) }
  deliveryFail (id: number, reason: string): Promise<void> { return this.tx.run(() => this.deliveries.fail(id, reason)) }
  deliveryQueueSize (): Promise<number> { return this.tx.run(() => this.deliveries.queueSize()) }
  listDeliveryFailures (limit: number): Promise<DeliveryFailure[]> { return this.tx.run(() => this.deliveries.listFailures(limit)) }

  getSetting (key: string): Promise<string | null> { return this.tx.run(() => this.hub.getSetting(key)) }
  setSetting (key: string, value: string): Promise<void> { return this.tx.run(() => this.hub.setSetting(key, value)) }
  claimSetting (key: string, value: string): Promise<string> { return this.tx.run(() => this.hub.claimSetting(key, value)) }

  async close (): Promise<void> {
    this.closeNow()
  }

  /** Closes the connection and stops the search thread at once; the checkpointer ends in the background. */
  private closeNow (): void {
    if (this.db.open) this.db.close()
    this.searchThread?.stop()
    void this.checkpointer?.stop()
  }

  /** Ends the background checkpoints (after one last one) before closing, so no file is written afterwards. */
  async shutdown (): Promise<void> {
    await this.checkpointer?.stop()
    this.closeNow()
  }

  /** Stops the background checkpoints after one last one (before a backup or at exit). */
  async stopCheckpoints (): Promise<void> {
    await this.checkpointer?.stop()
  }
}
