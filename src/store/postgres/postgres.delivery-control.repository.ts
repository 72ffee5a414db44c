/**
 * The hub's delivery controls on PostgreSQL (see `DeliveryControlRepository`), on the same
 * `deliveries` and `delivery_failures` tables as the queue apex sees.
 */
import type { DeliveryControlRepository, HostDeliverySummary } from '../ports/delivery-control.port'
import type { PostgresDatabase } from './postgres-database'
import { notifyWakeup, WAKEUP_CHANNELS } from './postgres-wakeups'
import { deliveryHost, RECORD_FAILURE } from './postgres.delivery-queue'

interface QueueByHost { host: string | null, queued: number, retrying: number, oldest: string | null, last_error: string | null }
interface FailuresByHost { host: string | null, failures: number, last_at: string | null, last_reason: string | null }

/** `DeliveryControlRepository` on the delivery tables. */
export class PostgresDeliveryControlRepository implements DeliveryControlRepository {
  /** `now` is the clock (ms). */
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async enqueue (actorId: string, body: string, addresses: string[], orderingKey: string | null): Promise<number> {
    if (addresses.length === 0) return 0
    const now = this.now()
    // One statement, rows in the order given: ids (and so the per-object order) follow it.
    await this.db.query(`INSERT INTO deliveries (actor_id, address, body, attempt, after_ms, created_at, host, ordering_key)
      SELECT $1, a.address, $2, 0, $3, $4, a.host, $5 FROM unnest($6::text[], $7::text[]) WITH ORDINALITY AS a (address, host, n) ORDER BY a.n`,
    [actorId, body, now, new Date(now).toISOString(), orderingKey, addresses, addresses.map(deliveryHost)])
    await notifyWakeup(this.db, WAKEUP_CHANNELS.deliveries)
    return addresses.length
  }

  async postpone (id: number, until: Date, maxAgeMs: number): Promise<'postponed' | 'expired'> {
    return await this.db.transaction(async tx => {
      const row = (await tx.query<{ created_at: string }>('SELECT created_at FROM deliveries WHERE id = $1 FOR UPDATE', [id])).rows[0]
      if (row === undefined) return 'expired'
      const now = this.now()
      if (now - Date.parse(row.created_at) > maxAgeMs) {
        await tx.query(RECORD_FAILURE, [`still undelivered after ${Math.round(maxAgeMs / 3_600_000)} h: the host's circuit stayed open`, new Date(now).toISOString(), id])
        await tx.query('DELETE FROM deliveries WHERE id = $1', [id])
        return 'expired'
      }
      await tx.query('UPDATE deliveries SET after_ms = $1, lease_until_ms = NULL WHERE id = $2', [until.getTime(), id])
      return 'postponed'
    })
  }

  async releaseAllLeases (): Promise<number> {
    return (await this.db.query('UPDATE deliveries SET lease_until_ms = NULL WHERE lease_until_ms IS NOT NULL')).rowCount ?? 0
  }

  async hostSummary (): Promise<HostDeliverySummary[]> {
    const byHost = new Map<string, HostDeliverySummary>()
    const entry = (host: string | null): HostDeliverySummary => {
      const key = host ?? '(unknown)'
      let e = byHost.get(key)
      if (!e) {
        e = { host: key, queued: 0, retrying: 0, oldestQueuedAt: null, lastError: null, failures: 0, lastFailureAt: null, lastFailureReason: null }
        byHost.set(key, e)
      }
      return e
    }
    // The last error is that of the most recently queued delivery that has one.
    const queues = await this.db.query<QueueByHost>(`
      SELECT host, count(*)::int AS queued, count(*) FILTER (WHERE attempt > 0)::int AS retrying, min(created_at) AS oldest,
             (SELECT last_error FROM deliveries l WHERE l.host IS NOT DISTINCT FROM d.host AND l.last_error IS NOT NULL ORDER BY l.id DESC LIMIT 1) AS last_error
      FROM deliveries d GROUP BY host`)
    for (const q of queues.rows) Object.assign(entry(q.host), { queued: q.queued, retrying: q.retrying, oldestQueuedAt: q.oldest, lastError: q.last_error })
    const failures = await this.db.query<FailuresByHost>(`
      SELECT host, count(*)::int AS failures, max(failed_at) AS last_at,
             (SELECT reason FROM delivery_failures l WHERE l.host IS NOT DISTINCT FROM f.host ORDER BY l.failed_at DESC, l.id DESC LIMIT 1) AS last_reason
      FROM delivery_failures f GROUP BY host`)
    for (const f of failures.rows) Object.assign(entry(f.host), { failures: f.failures, lastFailureAt: f.last_at, lastFailureReason: f.last_reason })
    return [...byHost.values()].sort((a, b) => (b.queued - a.queued) || (b.failures - a.failures) || a.host.localeCompare(b.host))
  }
}
