/**
 * Wake-ups for the workers when work is queued in the store by any process sharing it. A
 * wake-up is only a hint (it carries nothing and may be lost while a connection is down): the
 * workers still poll, at a slower interval where wake-ups reach across processes.
 */

/** What was queued: deliveries to send, or published activities whose audiences to resolve. */
export type WakeupTopic = 'deliveries' | 'outbox'

/** How a store tells this process's workers that work was queued. */
export interface StoreWakeups {
  /**
   * True when work queued by other processes wakes this one (PostgreSQL's LISTEN/NOTIFY); false
   * when only this process's own queueing does (SQLite: the workers are called directly).
   */
  readonly acrossProcesses: boolean
  /** Calls `onWake` whenever `topic` work was queued; resolves once listening. */
  listen: (topic: WakeupTopic, onWake: () => void) => Promise<void>
  /** Stops listening (the store calls it when it closes). */
  close: () => Promise<void>
}
