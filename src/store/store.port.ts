/**
 * The storage port: everything the hub and activitypub-express (apex) keep.
 *
 * It has two halves. `ApexStore` is apex's own store interface (`store/interface.js` in
 * activitypub-express), with the semantics apex's MongoDB store gives it, so apex's routes and
 * side effects run unchanged on any adapter. `HubQueries` holds the hub's own records (co-ops,
 * tokens, hosted services, follows, the delivery queue) and one repository per feature. Every
 * method that touches the store answers a Promise (only `generateId`, which apex calls
 * synchronously, does not), so a networked adapter can implement the port, and `transaction`
 * spans any of them. Every adapter passes the same contract suite in `test/store/store.contract.ts`.
 */
import type { DirectoryRepository } from './ports/directory.port'
import type { PoolRepository } from './ports/pool.port'
import type { AgreementRepository } from './ports/agreement.port'
import type { UmbrellaWorkRepository } from './ports/umbrella-work.port'
import type { UmbrellaNotesRepository } from './ports/umbrella-notes.port'
import type { DeliveryControlRepository } from './ports/delivery-control.port'
import type { DomainBlockRepository } from './ports/domain-blocks.port'
import type { InboxJournalRepository } from './ports/inbox-journal.port'
import type { JobRepository } from './ports/jobs.port'
import type { SourceRepository } from './ports/sync-sources.port'
import type { SiblingRepository } from './ports/siblings.port'
import type { HealthRepository } from './ports/health.port'
import type { ProcessRepository } from './ports/processes.port'
import type { OutboxRepository } from './ports/outbox.port'
import type { UmbrellaRepository } from './ports/umbrella.port'
import type { StoreWakeups } from './ports/wakeups.port'

/** A JSON-LD node as apex holds it: compacted against the hub context, arrays not unboxed. */
export interface ApexNode {
  id: string
  type: string | string[]
  /** Private bookkeeping apex keeps next to a node: collection membership, private keys. */
  _meta?: Record<string, unknown[] | unknown>
  [key: string]: unknown
}

/** A cached JSON-LD context document, as jsonld.js document loaders return it. */
export interface ContextRecord {
  contextUrl: string | null
  documentUrl: string
  document: unknown
}

/** One queued outgoing delivery: one activity body to one inbox. */
export interface Delivery {
  id: number
  actorId: string
  address: string
  body: string
  attempt: number
  after: Date
  /** Only for apex compatibility; the hub never stores private keys in the queue. */
  signingKey?: string
}

/** What `deliveryClaim` answers: the deliveries now leased to this process, or when the next is due (null: none queued). */
export interface DeliveryClaim {
  deliveries: Delivery[]
  waitUntil: Date | null
}

/**
 * Stamps of what the hub keeps parsed in memory: each moves on every write, by any process, that
 * can change what the reads behind it answer. Equal stamps mean nothing of that kind changed.
 */
export interface ChangeStamps {
  /** `getObject`'s answers: the stored objects, and the received activities' documents. */
  documents: number
  /** `domainBlocks.findAny`'s answers. */
  domainBlocks: number
  /** Who each co-op blocks: its blocked collection's members and their objects (the inbox's block list). */
  blockedCollections: number
}

/** What `deliveryDequeue` answers when nothing is due yet. */
export interface DeliveryWait {
  waitUntil: Date
}

/** apex's store interface, with the MongoDB store's semantics. */
export interface ApexStore {
  /** Creates tables/indexes; stores `initialUser` (with `_meta`) when given. */
  setup(initialUser?: ApexNode): Promise<unknown>
  /** An object by id; `_meta` only when `includeMeta === true` (private keys never leak by accident). */
  getObject(id: string, includeMeta?: boolean): Promise<ApexNode | null>
  /** Inserts an object; first writer wins: answers false when the id exists. */
  saveObject(object: ApexNode): Promise<boolean>
  /** Replaces (fullReplace) or merges top-level keys (null removes a key); updates embedded copies in streams. */
  updateObject(object: ApexNode, actorId: string | null, fullReplace: boolean): Promise<ApexNode | undefined>
  /** An activity by id; `_meta` when `includeMeta` is truthy. */
  getActivity(id: string, includeMeta?: boolean): Promise<ApexNode | null>
  /** The first activity in a collection whose `object` is `objectId`. */
  findActivityByCollectionAndObjectId(collection: string, objectId: string, includeMeta?: boolean): Promise<ApexNode | null>
  /** The first activity in a collection whose `actor` is `actorId`. */
  findActivityByCollectionAndActorId(collection: string, actorId: string, includeMeta?: boolean): Promise<ApexNode | null>
  /**
   * A page of a collection, newest first. `after` is the `_id` cursor of the last item of the
   * previous page (an opaque string; a malformed one throws `ApexStore: invalid page value`).
   * Each item carries `_id` and has `actor` replaced by the array of cached actor objects; items
   * whose actor is not cached are left out, as apex's MongoDB store does. `query` (a MongoDB
   * aggregation pipeline in apex's store) is not supported and throws when given.
   */
  getStream(collectionId: string, limit: number | null, after?: string | null, blockList?: string[], query?: unknown): Promise<Array<ApexNode & { _id: string }>>
  /** Number of activities in a collection. */
  getStreamCount(collectionId: string): Promise<number>
  getContext(documentUrl: string): Promise<ContextRecord | null>
  saveContext(context: ContextRecord): Promise<unknown>
  /** Number of local co-op actors (apex's interface spells it `getUsercount`, its NodeInfo calls `getUserCount`). */
  getUserCount(): Promise<number>
  getUsercount(): Promise<number>
  /** Inserts an activity (with `_meta.collection` membership); answers true, or undefined when the id exists. */
  saveActivity(activity: ApexNode): Promise<boolean | undefined>
  /** Deletes an activity by id and actor, and its collection membership. */
  removeActivity(activity: { id: string }, actorId: string): Promise<{ deletedCount: number }>
  /** Replaces or merges an activity; answers the stored activity with `_meta`. */
  updateActivity(activity: ApexNode, fullReplace: boolean): Promise<ApexNode>
  /** Adds `value` to (or removes it from) the set `_meta[key]`; throws when the activity is unknown. */
  updateActivityMeta(activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexNode>
  /** A new, unguessable, lower-case id for IRIs. */
  generateId(): string
  /** Claims the next due delivery (leased, not deleted), or says when the next one is due, or null. */
  deliveryDequeue(): Promise<Delivery | DeliveryWait | null>
  /** Queues one delivery per address. The signing key is never stored. */
  deliveryEnqueue(actorId: string, body: string, addresses: string | string[], signingKey?: string): Promise<boolean | undefined>
  /** apex's retry: `after += 10^attempt` ms, attempt + 1, lease released. */
  deliveryRequeue(delivery: Delivery): Promise<boolean>
}

/** A local co-op as the hub records it next to its actor object. */
export interface CoopRecord {
  username: string
  actorId: string
  followPolicy: FollowPolicy
  createdAt: string
}

export type FollowPolicy = 'automatic' | 'approval'

/** An API token, stored only as a hash. `scope` is `*` (admin) or a co-op's actor id. */
export interface TokenRecord {
  hash: string
  scope: string
  label: string
  createdAt: string
}

/** A hosted service the hub lists: a local co-op's own or one federated from a followed actor. */
export interface ServiceRecord {
  id: string
  actorId: string
  category: string
  local: boolean
  /** The object as published (compacted JSON-LD, no `_meta`). */
  object: Record<string, unknown>
  updatedAt: string
}

export type FollowState = 'pending' | 'accepted' | 'rejected'

/** A follow one of the hub's co-ops sent. */
export interface OutgoingFollow {
  followId: string
  localActorId: string
  targetActorId: string
  state: FollowState
  updatedAt: string
}

/** A follow a co-op received while its policy is `approval`. */
export interface FollowRequest {
  followId: string
  localActorId: string
  remoteActorId: string
  state: FollowState
  receivedAt: string
}

/** Outcome of one delivery attempt, recorded when it ends for good. */
export interface DeliveryFailure {
  id: number
  actorId: string
  address: string
  attempt: number
  reason: string
  failedAt: string
}

/** The hub's own queries. */
export interface HubQueries {
  /**
   * Runs `work` in one transaction: all of it is stored, or none (a throw or rejection rolls all
   * of it back). Every store method `work` calls in its async context joins the transaction; calls
   * from elsewhere never join it, and two transactions never interleave. A nested call is a
   * savepoint: its failure rolls back only its own part, unless the outer work fails too. Keep
   * `work` to store calls: the write lock is held until it settles.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>

  /**
   * The change stamps, read in one step. A reader keeps a value with the stamp it read before
   * it, and may use it again while the stamp is unchanged. A store that keeps none answers stamps
   * that differ on every call: nothing is ever taken as unchanged.
   */
  changeStamps(): Promise<ChangeStamps>

  /**
   * `changeStamps` answered at once, when the store can read them without waiting (an embedded
   * store, no transaction of another caller open); null when it cannot: then `changeStamps`.
   * What the inbox keeps under them is then used without a promise on every request.
   */
  changeStampsNow(): ChangeStamps | null

  /**
   * Whether anything may be stored under `id`, in one read: an object (or a received Create
   * holding one), an activity, a service or a pool. False means `getObject`, `getActivity`,
   * `getService` and `pools.getPool` all answer null for it; true that one of them may answer it.
   */
  holdsId(id: string): Promise<boolean>

  /** `holdsId` answered at once, when the store can read without waiting (as `changeStampsNow`); undefined when it cannot. */
  holdsIdNow(id: string): boolean | undefined

  saveCoop(coop: CoopRecord): Promise<void>
  getCoop(username: string): Promise<CoopRecord | null>
  getCoopByActorId(actorId: string): Promise<CoopRecord | null>
  listCoops(): Promise<CoopRecord[]>
  setFollowPolicy(username: string, policy: FollowPolicy): Promise<void>
  /** Removes a deleted co-op's record and its tokens (its actor stays, as a Tombstone); answers false when unknown. */
  deleteCoop(username: string): Promise<boolean>

  saveToken(token: TokenRecord): Promise<void>
  findToken(hash: string): Promise<TokenRecord | null>

  /** Inserts or replaces; answers 'created' or 'updated'. */
  upsertService(service: ServiceRecord): Promise<'created' | 'updated'>
  getService(id: string): Promise<ServiceRecord | null>
  deleteService(id: string): Promise<boolean>
  listServices(filter: { actorId?: string, category?: string, local?: boolean }): Promise<ServiceRecord[]>

  saveOutgoingFollow(follow: OutgoingFollow): Promise<void>
  setOutgoingFollowState(followId: string, state: FollowState): Promise<boolean>
  findOutgoingFollow(localActorId: string, targetActorId: string): Promise<OutgoingFollow | null>
  listOutgoingFollows(localActorId?: string): Promise<OutgoingFollow[]>
  /** Removes a follow the co-op undid (or whose target was deleted); answers false when unknown. */
  deleteOutgoingFollow(followId: string): Promise<boolean>
  /** True when any local co-op has an accepted follow of `actorId`. */
  isFollowedByAnyCoop(actorId: string): Promise<boolean>

  saveFollowRequest(request: FollowRequest): Promise<void>
  getFollowRequest(followId: string): Promise<FollowRequest | null>
  setFollowRequestState(followId: string, state: FollowState): Promise<boolean>
  listFollowRequests(localActorId: string, state?: FollowState): Promise<FollowRequest[]>

  /** Claims (leases) up to `limit` due deliveries in one step, oldest first; when none is due, says when the next one is. */
  deliveryClaim(limit: number): Promise<DeliveryClaim>
  /** Removes deliveries after their peers answered 2xx; several ids are removed in one transaction. */
  deliveryComplete(ids: number | readonly number[]): Promise<void>
  /** Ends the leases of claimed deliveries that were not sent (the worker stopped): due again at once. */
  deliveryRelease(ids: readonly number[]): Promise<void>
  /** Releases the lease and schedules the next try. */
  deliveryReschedule(id: number, nextAttemptAt: Date, lastError: string): Promise<void>
  /** Ends a delivery for good and records why. */
  deliveryFail(id: number, reason: string): Promise<void>
  deliveryQueueSize(): Promise<number>
  listDeliveryFailures(limit: number): Promise<DeliveryFailure[]>

  getSetting(key: string): Promise<string | null>
  setSetting(key: string, value: string): Promise<void>
  /**
   * Stores `value` under `key` unless the key already holds one, and answers the value it holds
   * afterwards: of processes claiming the key at the same moment, exactly one wins.
   */
  claimSetting(key: string, value: string): Promise<string>

  /** The directory of participating clouds: source records, merged entries, search. */
  readonly directory: DirectoryRepository

  /** Funding pools and pledges, local and federated. */
  readonly pools: PoolRepository

  /** Member-exchange agreements and their versions. */
  readonly agreements: AgreementRepository

  /** Umbrellas' shared projects, commitments, decisions, votes and tallies. */
  readonly umbrellaWork: UmbrellaWorkRepository

  /** Progress posts of shared projects, and the votes local co-ops sent. */
  readonly umbrellaNotes: UmbrellaNotesRepository

  /** Domains the admin refuses to federate with. */
  readonly domainBlocks: DomainBlockRepository
  /** Received activities whose handlers have not finished yet. */
  readonly inboxJournal: InboxJournalRepository
  /** Delivery ordering, postponement, leases and the per-host view. */
  readonly deliveryControl: DeliveryControlRepository
  /** Publishes: object, activity and audience resolution job in one transaction; the jobs' resolution into deliveries. */
  readonly outbox: OutboxRepository

  /** Scheduled jobs: leases (one run at a time across processes) and run history. */
  readonly jobs: JobRepository
  /** Directory sources the admin configured, with their import state. */
  readonly syncSources: SourceRepository
  /** Followed co-ops' reachability, NodeInfo and follow suggestions. */
  readonly siblings: SiblingRepository
  /** Service health check history. */
  readonly health: HealthRepository
  /** The hub processes sharing this store, and what a dead one held. */
  readonly processes: ProcessRepository
  /** Umbrella organisations and their memberships. */
  readonly umbrellas: UmbrellaRepository
  /** Wakes this process's workers when work is queued (by other processes too, where the store can tell). */
  readonly wakeups: StoreWakeups

  /** Closes the store at once (background work may still finish); `shutdown` waits for it. */
  close(): Promise<void>
  /** Waits for background work on the database (the last checkpoint) to end, then closes: nothing is written after it resolves. */
  shutdown(): Promise<void>
}

/** The whole storage port. */
export type HubStore = ApexStore & HubQueries
