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

/** A claimed (leased) resolution job. */
export interface AudienceResolution extends AudienceResolutionInput {
  id: number
  /** Failed attempts so far. */
  attempt: number
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
   * In one transaction: queues one delivery of the job's activity per address and removes the
   * job. A delivery of that activity to that address still queued is not queued again (a job
   * run twice delivers once). Answers how many deliveries were queued.
   */
  finishResolution (id: number, addresses: string[]): Promise<number>
  /** Releases a job's lease until `at`, counting a failed attempt. */
  retryResolution (id: number, at: Date, error: string): Promise<void>
  /** Jobs not yet resolved. */
  pendingResolutions (): Promise<number>
}
