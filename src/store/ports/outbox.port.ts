/**
 * The transactional outbox: a publish stores the object, the activity and one audience
 * resolution job in one transaction; a worker later turns the job into deliveries (one per
 * inbox) and removes it in another. A crash between the two leaves the job, which runs again:
 * the activity is never stored without the means of delivering it.
 */
import type { ApexNode, ServiceRecord } from '../store.port'
import type { AgreementRecord } from './agreement.port'
import type { PledgeRecord, PoolRecord } from './pool.port'

/** A change to the hub's own records, stored in the same transaction as the activity announcing it. */
export type OutboxRecordChange =
  | { kind: 'service-upsert', service: ServiceRecord }
  | { kind: 'service-delete', id: string }
  | { kind: 'pool-save', pool: PoolRecord }
  | { kind: 'pool-delete', id: string }
  | { kind: 'pledge-save', pledge: PledgeRecord }
  | { kind: 'agreement-save', agreement: AgreementRecord }

/** What the worker needs to turn a published activity into deliveries. */
export interface AudienceResolutionInput {
  activityId: string
  /** The local actor sending it (its key signs the deliveries). */
  actorId: string
  /** The activity as it is delivered (public JSON-LD). */
  body: string
  /** The IRIs to resolve into inboxes: actors, collections (the actor's followers), the public address. */
  audience: string[]
  /** Deliveries of one object leave in the order published (see `DeliveryControlRepository.enqueue`). */
  orderingKey: string | null
}

/** How far a job's resolution got: the audience entry being resolved, and the last member of it done. */
export interface ResolutionCursor {
  /** Index into `audience`. */
  position: number
  /** The last membership row of that entry's collection already queued (0: none). */
  seq: number
}

/** A claimed (leased) resolution job. */
export interface AudienceResolution extends AudienceResolutionInput {
  id: number
  /** Failed attempts so far. */
  attempt: number
  /** Where an earlier run stopped (a crash, a lost lease); resolution resumes there. */
  cursor: ResolutionCursor
}

/** One page of a collection held on this hub, read as delivery targets. */
export interface AudiencePage {
  /** The distinct delivery targets of the page's members (shared inbox, else inbox); members with none, uncached or blocked are left out. */
  targets: string[]
  /** The last membership row the page read; null when the collection has no rows past the cursor. */
  lastSeq: number | null
}

/** Everything one publish stores, all of it or none. */
export interface OutboxEntry {
  /** Objects stored with it: inserted, or replacing the stored document of that id (its `_meta` kept). */
  objects?: ApexNode[]
  /** The activity, saved as `saveActivity` saves it (outbox membership in `_meta.collection`); absent when only forwarding. */
  activity?: ApexNode
  /** The hub's own records that change with it. */
  records?: OutboxRecordChange[]
  resolution: AudienceResolutionInput
}

/** Storage of the transactional outbox. */
export interface OutboxRepository {
  /** Stores the objects, the activity, the records and the resolution job in one transaction; answers the job's id. */
  publish (entry: OutboxEntry): Promise<number>
  /**
   * Stores several publishes in one transaction, in order (a decision that sends more than one
   * activity: all of them with their records, or none); answers the jobs' ids.
   */
  publishAll (entries: OutboxEntry[]): Promise<number[]>
  /**
   * Leases up to `limit` due jobs to this process, oldest first. A job waits while an earlier
   * one with the same ordering key is still there, so Create, Update and Delete of one object
   * are resolved, and queued, in the order published.
   */
  claimResolutions (limit: number): Promise<AudienceResolution[]>
  /**
   * In one transaction: queues one delivery of the job's activity per address (as `queuePage`)
   * and removes the job with its record of queued targets. A delivery of that activity to that
   * address still queued is not queued again (a job run twice delivers once). Answers how many
   * deliveries were queued.
   */
  finishResolution (id: number, addresses: string[]): Promise<number>
  /**
   * Reads up to `limit` members of `collection` after membership row `afterSeq`, in order, as
   * their distinct delivery targets, in one query (no actor document is parsed). Members that are
   * actors in `blocked` are left out. For a followers collection: its members are Follows, the
   * only activities whose memberships every store keeps a delivery target for.
   */
  audiencePage (collection: string, afterSeq: number, limit: number, blocked: string[]): Promise<AudiencePage>
  /** Whether `iri` is the followers collection of an actor of this hub (its members are stored here). */
  isLocalFollowersCollection (iri: string): Promise<boolean>
  /**
   * In one transaction: queues one delivery of the job's activity per address this job has not
   * queued before (a target is queued at most once per job, even after its delivery was sent and
   * removed), records `cursor` as how far the job got and renews its lease. Answers how many
   * deliveries were queued; 0 when the job is gone.
   */
  queuePage (id: number, addresses: string[], cursor: ResolutionCursor): Promise<number>
  /** Releases a job's lease until `at`, counting a failed attempt. */
  retryResolution (id: number, at: Date, error: string): Promise<void>
  /** Jobs not yet resolved. */
  pendingResolutions (): Promise<number>
}
