/**
 * The hub's controls over its outgoing delivery queue, beyond apex's enqueue/dequeue: per-object
 * ordering, postponement while a host's circuit is open, leases released at start-up, and the
 * per-host view the admin API shows.
 */

/** The queue and the failures for one remote host. */
export interface HostDeliverySummary {
  host: string
  /** Deliveries still queued. */
  queued: number
  /** Queued deliveries that already failed at least once. */
  retrying: number
  /** When the oldest queued delivery was queued (ISO), or null. */
  oldestQueuedAt: string | null
  /** The most recent error of a queued delivery, or null. */
  lastError: string | null
  /** Deliveries given up on. */
  failures: number
  lastFailureAt: string | null
  lastFailureReason: string | null
}

/** Storage side of the delivery controls. */
export interface DeliveryControlRepository {
  /**
   * Queues one delivery per address in one transaction. Deliveries with the same `orderingKey`
   * to the same address are handed out strictly in the order queued (Create, Update, Delete of
   * one object): a later one waits while an earlier one is queued.
   */
  enqueue (actorId: string, body: string, addresses: string[], orderingKey: string | null): Promise<number>
  /**
   * Releases a claimed delivery until `until` without counting an attempt (its host's circuit is
   * open). A delivery queued longer than `maxAgeMs` is ended as a failure instead; answers which.
   */
  postpone (id: number, until: Date, maxAgeMs: number): Promise<'postponed' | 'expired'>
  /** Releases every lease (at start-up of the only process using the queue); answers how many. */
  releaseAllLeases (): Promise<number>
  /** The queue and failures grouped by host, busiest first. */
  hostSummary (): Promise<HostDeliverySummary[]>
}
