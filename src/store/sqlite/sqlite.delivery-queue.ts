/**
 * The outgoing delivery queue on SQLite. Unlike apex's MongoDB store, dequeuing does not delete:
 * it leases the row, so a delivery survives a crash mid-flight and is handed out again once the
 * lease runs out. A row leaves the queue only on `complete` (2xx) or `fail` (given up).
 */
import type Database from 'better-sqlite3'
import type { Delivery, DeliveryClaim, DeliveryFailure, DeliveryWait } from '../store.port'

interface DeliveryRow { id: number, actor_id: string, address: string, body: string, attempt: number, after_ms: number, activity_id: string | null }
interface FailureRow { id: number, actor_id: string, address: string, attempt: number, reason: string, failed_at: string }

/** SQL: an earlier queued delivery of the same object (ordering key) to the same inbox as row `d`. */
export const EARLIER_OF_SAME_OBJECT =
  'SELECT 1 FROM deliveries e WHERE e.ordering_key = d.ordering_key AND e.address = d.address AND e.id < d.id'

/** The host (`URL.host`, lower case) a delivery goes to; null for an address that is not a URL. */
export function deliveryHost (address: string): string | null {
  try {
    return new URL(address).host.toLowerCase() || null
  } catch {
    return null
  }
}

/** The delivery queue and its record of deliveries given up on. */
export class SqliteDeliveryQueue {
  private readonly insert
  private readonly claim
  private readonly sharedBody
  private readonly nextDue
  private readonly requeue
  private readonly remove
  private readonly release
  private readonly reschedule
  private readonly recordFailure
  private readonly size
  private readonly failures

  /** Prepares every statement once; `now` is the clock (ms), `leaseMs` how long a claim holds, `owner` who claims. */
  constructor (private readonly db: Database.Database, private readonly now: () => number, private readonly leaseMs: number, private readonly owner: string | null = null) {
    this.insert = db.prepare<[string, string, string, number, string, string | null]>(
      `INSERT INTO deliveries (actor_id, address, body, attempt, after_ms, lease_until_ms, created_at, host)
       VALUES (?, ?, ?, 0, ?, NULL, ?, ?)`)
    // One statement, so claiming is atomic across connections and processes. A delivery waits
    // while an earlier one of the same object (ordering key) to the same inbox is still queued.
    // Several at once: one write transaction for a batch instead of one per delivery (a
    // fan-out to 1,000 inboxes spent a third of its store time committing claims one by one).
    this.claim = db.prepare<{ now: number, leaseUntil: number, owner: string | null, limit: number }, DeliveryRow>(
      `UPDATE deliveries SET lease_until_ms = :leaseUntil, lease_owner = :owner
       WHERE id IN (
         SELECT d.id FROM deliveries d
         WHERE d.after_ms <= :now AND (d.lease_until_ms IS NULL OR d.lease_until_ms <= :now)
           AND NOT EXISTS (${EARLIER_OF_SAME_OBJECT})
         ORDER BY d.after_ms, d.id LIMIT :limit)
       RETURNING id, actor_id, address, body, attempt, after_ms, activity_id`)
    // A leased row becomes available when its lease ends, even if it was due earlier; a row
    // waiting behind an earlier one of its object is due when that one is gone (which wakes the worker).
    this.nextDue = db.prepare<[], { at: number | null }>(
      `SELECT MIN(MAX(d.after_ms, COALESCE(d.lease_until_ms, d.after_ms))) AS at FROM deliveries d
       WHERE NOT EXISTS (${EARLIER_OF_SAME_OBJECT})`)
    this.requeue = db.prepare<[number, number, number]>(
      'UPDATE deliveries SET after_ms = ?, attempt = ?, lease_until_ms = NULL WHERE id = ?')
    this.remove = db.prepare<[number]>('DELETE FROM deliveries WHERE id = ?')
    this.release = db.prepare<[number]>('UPDATE deliveries SET lease_until_ms = NULL, lease_owner = NULL WHERE id = ?')
    this.reschedule = db.prepare<[number, string, number]>(
      `UPDATE deliveries SET after_ms = ?, attempt = attempt + 1, last_error = ?, lease_until_ms = NULL
       WHERE id = ?`)
    this.recordFailure = db.prepare<[string, string, number]>(
      `INSERT INTO delivery_failures (id, actor_id, address, attempt, reason, failed_at, host)
       SELECT id, actor_id, address, attempt, ?, ?, host FROM deliveries WHERE id = ?`)
    this.sharedBody = db.prepare<[string], { body: string }>('SELECT body FROM delivery_bodies WHERE activity_id = ?')
    this.size = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM deliveries')
    this.failures = db.prepare<[number], FailureRow>(
      `SELECT id, actor_id, address, attempt, reason, failed_at FROM delivery_failures
       ORDER BY failed_at DESC, id DESC LIMIT ?`)
  }

  /** See `ApexStore.deliveryEnqueue`; the signing key is deliberately not a parameter. */
  enqueue (actorId: string, body: string, addresses: string | string[]): true | undefined {
    // As apex: no address, an empty string or an empty list queues nothing (apex is untyped JS).
    if ((typeof addresses !== 'string' && !Array.isArray(addresses)) || addresses.length === 0) return undefined
    const list = Array.isArray(addresses) ? addresses : [addresses]
    const now = this.now()
    const createdAt = new Date(now).toISOString()
    this.db.transaction(() => {
      for (const address of list) this.insert.run(actorId, address, body, now, createdAt, deliveryHost(address))
    })()
    return true
  }

  /** See `ApexStore.deliveryDequeue`. */
  dequeue (): Delivery | DeliveryWait | null {
    const { deliveries, waitUntil } = this.claimDue(1)
    if (deliveries.length > 0) return deliveries[0]
    return waitUntil === null ? null : { waitUntil }
  }

  /** See `HubQueries.deliveryClaim`. */
  claimDue (limit: number): DeliveryClaim {
    const now = this.now()
    // RETURNING gives no order: sort as the claim chose.
    const rows = this.claim.all({ now, leaseUntil: now + this.leaseMs, owner: this.owner, limit })
      .sort((a, b) => a.after_ms - b.after_ms || a.id - b.id)
    if (rows.length > 0) {
      const bodies = new Map<string, string>()
      const bodyOf = (row: DeliveryRow): string => {
        if (row.body !== '' || row.activity_id === null) return row.body
        let body = bodies.get(row.activity_id)
        if (body === undefined) {
          body = this.sharedBody.get(row.activity_id)?.body
          if (body === undefined) throw new Error(`The body of delivery ${row.id} (${row.activity_id}) is missing from delivery_bodies`)
          bodies.set(row.activity_id, body)
        }
        return body
      }
      return { deliveries: rows.map(row => ({ id: row.id, actorId: row.actor_id, address: row.address, body: bodyOf(row), attempt: row.attempt, after: new Date(row.after_ms) })), waitUntil: null }
    }
    const at = this.nextDue.get()?.at ?? null
    return { deliveries: [], waitUntil: at === null ? null : new Date(at) }
  }

  /** See `ApexStore.deliveryRequeue`: apex's back-off, applied to the existing row. */
  requeueWithBackoff (delivery: Delivery): boolean {
    const after = delivery.after.getTime() + Math.pow(10, delivery.attempt)
    return this.requeue.run(after, delivery.attempt + 1, delivery.id).changes === 1
  }

  /** See `HubQueries.deliveryComplete`. */
  complete (ids: number | readonly number[]): void {
    if (typeof ids === 'number') {
      this.remove.run(ids)
      return
    }
    this.db.transaction(() => { for (const id of ids) this.remove.run(id) })()
  }

  /** See `HubQueries.deliveryRelease`. */
  releaseClaims (ids: readonly number[]): void {
    this.db.transaction(() => { for (const id of ids) this.release.run(id) })()
  }

  /** See `HubQueries.deliveryReschedule`. */
  rescheduleAt (id: number, nextAttemptAt: Date, lastError: string): void {
    this.reschedule.run(nextAttemptAt.getTime(), lastError, id)
  }

  /** See `HubQueries.deliveryFail`: moves the row to `delivery_failures` in one transaction. */
  fail (id: number, reason: string): void {
    this.db.transaction(() => {
      this.recordFailure.run(reason, new Date(this.now()).toISOString(), id)
      this.remove.run(id)
    })()
  }

  /** See `HubQueries.deliveryQueueSize`. */
  queueSize (): number {
    return this.size.get()?.n ?? 0
  }

  /** See `HubQueries.listDeliveryFailures`. */
  listFailures (limit: number): DeliveryFailure[] {
    return this.failures.all(limit).map(r => ({
      id: r.id, actorId: r.actor_id, address: r.address, attempt: r.attempt, reason: r.reason, failedAt: r.failed_at
    }))
  }
}
