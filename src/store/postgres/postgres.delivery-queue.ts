/**
 * The outgoing delivery queue on PostgreSQL, for apex's half of the store (enqueue, dequeue,
 * requeue) and the hub's queue queries once they answer Promises. As on SQLite, dequeuing leases
 * the row instead of deleting it; a row leaves only on `complete` (2xx) or `fail` (given up).
 * Claims pick rows with `FOR UPDATE SKIP LOCKED`: processes on several machines claim at once
 * without waiting for each other and never take the same row.
 */
import type { Delivery, DeliveryClaim, DeliveryFailure, DeliveryWait } from '../store.port'
import type { PostgresDatabase } from './postgres-database'
import { notifyWakeup, WAKEUP_CHANNELS } from './postgres-wakeups'

interface DeliveryRow { id: number, actor_id: string, address: string, body: string | null, attempt: number, after_ms: number }
interface FailureRow { id: number, actor_id: string, address: string, attempt: number, reason: string, failed_at: string }

/** SQL: an earlier queued delivery of the same object (ordering key) to the same inbox as row `d`. */
export const EARLIER_OF_SAME_OBJECT =
  'SELECT 1 FROM deliveries e WHERE e.ordering_key = d.ordering_key AND e.address = d.address AND e.id < d.id'

/** SQL: moves delivery $3 to `delivery_failures` with reason $1 at $2 (the caller deletes the row). */
export const RECORD_FAILURE = `INSERT INTO delivery_failures (id, actor_id, address, attempt, reason, failed_at, host)
  SELECT id, actor_id, address, attempt, $1, $2, host FROM deliveries WHERE id = $3`

/** The host (`URL.host`, lower case) a delivery goes to; null for an address that is not a URL. */
export function deliveryHost (address: string): string | null {
  try {
    return new URL(address).host.toLowerCase() || null
  } catch {
    return null
  }
}

/** The delivery queue and its record of deliveries given up on. */
export class PostgresDeliveryQueue {
  /** `now` is the clock (ms), `leaseMs` how long a claim holds, `owner` the process that claims. */
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number, private readonly leaseMs: number, private readonly owner: string | null = null) {}

  /** Queues one delivery per address in one statement (apex's `deliveryEnqueue`; no signing key is stored). */
  async enqueue (actorId: string, body: string, addresses: string | string[]): Promise<true | undefined> {
    // As apex: no address, an empty string or an empty list queues nothing.
    if ((typeof addresses !== 'string' && !Array.isArray(addresses)) || addresses.length === 0) return undefined
    const list = Array.isArray(addresses) ? addresses : [addresses]
    const now = this.now()
    await this.db.query(`INSERT INTO deliveries (actor_id, address, body, attempt, after_ms, created_at, host)
      SELECT $1, a.address, $2, 0, $3, $4, a.host FROM unnest($5::text[], $6::text[]) WITH ORDINALITY AS a (address, host, n) ORDER BY a.n`,
    [actorId, body, now, new Date(now).toISOString(), list, list.map(deliveryHost)])
    await notifyWakeup(this.db, WAKEUP_CHANNELS.deliveries)
    return true
  }

  /** The next due delivery, leased to this process; or when the next one is due; or null (apex's `deliveryDequeue`). */
  async dequeue (): Promise<Delivery | DeliveryWait | null> {
    const { deliveries, waitUntil } = await this.claimDue(1)
    if (deliveries.length > 0) return deliveries[0]
    return waitUntil === null ? null : { waitUntil }
  }

  /** Leases up to `limit` due deliveries to this process, oldest due first. */
  async claimDue (limit: number): Promise<DeliveryClaim> {
    const now = this.now()
    // A delivery waits while an earlier one of the same object to the same inbox is queued.
    const rows = (await this.db.query<DeliveryRow>(`
      WITH picked AS (
        SELECT d.id FROM deliveries d
        WHERE d.after_ms <= $1 AND (d.lease_until_ms IS NULL OR d.lease_until_ms <= $1)
          AND NOT EXISTS (${EARLIER_OF_SAME_OBJECT})
        ORDER BY d.after_ms, d.id LIMIT $4
        FOR UPDATE OF d SKIP LOCKED)
      UPDATE deliveries SET lease_until_ms = $2, lease_owner = $3 FROM picked WHERE deliveries.id = picked.id
      RETURNING deliveries.id, deliveries.actor_id, deliveries.address, deliveries.attempt, deliveries.after_ms,
        CASE WHEN deliveries.body = '' AND deliveries.activity_id IS NOT NULL
          THEN (SELECT b.body FROM delivery_bodies b WHERE b.activity_id = deliveries.activity_id)
          ELSE deliveries.body END AS body`,
    [now, now + this.leaseMs, this.owner, limit])).rows.sort((a, b) => a.after_ms - b.after_ms || a.id - b.id)
    if (rows.length > 0) {
      const missing = rows.find(row => row.body === null)
      if (missing !== undefined) throw new Error(`The body of delivery ${missing.id} is missing from delivery_bodies`)
      return { deliveries: (rows as Array<DeliveryRow & { body: string }>).map(row => ({ id: row.id, actorId: row.actor_id, address: row.address, body: row.body, attempt: row.attempt, after: new Date(row.after_ms) })), waitUntil: null }
    }
    // A leased row is available when its lease ends; one behind an earlier one of its object when that one is gone.
    const at = (await this.db.query<{ at: number | null }>(`
      SELECT min(greatest(d.after_ms, coalesce(d.lease_until_ms, d.after_ms))) AS at FROM deliveries d
      WHERE NOT EXISTS (${EARLIER_OF_SAME_OBJECT})`)).rows[0]?.at ?? null
    return { deliveries: [], waitUntil: at === null ? null : new Date(at) }
  }

  /** apex's back-off, applied to the existing row (apex's `deliveryRequeue`). */
  async requeueWithBackoff (delivery: Delivery): Promise<boolean> {
    const after = delivery.after.getTime() + Math.pow(10, delivery.attempt)
    return (await this.db.query('UPDATE deliveries SET after_ms = $1, attempt = $2, lease_until_ms = NULL WHERE id = $3', [after, delivery.attempt + 1, delivery.id])).rowCount === 1
  }

  /** Removes delivered rows. */
  async complete (ids: number | readonly number[]): Promise<void> {
    await this.db.query('DELETE FROM deliveries WHERE id = ANY ($1::bigint[])', [typeof ids === 'number' ? [ids] : [...ids]])
  }

  /** Gives claimed rows back without counting an attempt; other processes may take them at once. */
  async releaseClaims (ids: readonly number[]): Promise<void> {
    await this.db.query('UPDATE deliveries SET lease_until_ms = NULL, lease_owner = NULL WHERE id = ANY ($1::bigint[])', [[...ids]])
    await notifyWakeup(this.db, WAKEUP_CHANNELS.deliveries)
  }

  /** Counts a failed attempt and makes the row due again at `nextAttemptAt`. */
  async rescheduleAt (id: number, nextAttemptAt: Date, lastError: string): Promise<void> {
    await this.db.query('UPDATE deliveries SET after_ms = $1, attempt = attempt + 1, last_error = $2, lease_until_ms = NULL WHERE id = $3',
      [nextAttemptAt.getTime(), lastError, id])
  }

  /** Gives up: moves the row to `delivery_failures` in one transaction. */
  async fail (id: number, reason: string): Promise<void> {
    await this.db.transaction(async tx => {
      await tx.query(RECORD_FAILURE, [reason, new Date(this.now()).toISOString(), id])
      await tx.query('DELETE FROM deliveries WHERE id = $1', [id])
    })
  }

  /** Deliveries still queued. */
  async queueSize (): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries')).rows[0].n
  }

  /** The most recent deliveries given up on. */
  async listFailures (limit: number): Promise<DeliveryFailure[]> {
    const rows = await this.db.query<FailureRow>('SELECT id, actor_id, address, attempt, reason, failed_at FROM delivery_failures ORDER BY failed_at DESC, id DESC LIMIT $1', [limit])
    return rows.rows.map(r => ({ id: r.id, actorId: r.actor_id, address: r.address, attempt: r.attempt, reason: r.reason, failedAt: r.failed_at }))
  }
}
