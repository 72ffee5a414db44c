/**
 * The hub's delivery controls on SQLite (see `DeliveryControlRepository`): they work on the same
 * `deliveries` and `delivery_failures` tables as the queue apex sees.
 */
import type Database from 'better-sqlite3'
import type { DeliveryControlRepository, HostDeliverySummary } from '../ports/delivery-control.port'
import { deliveryHost } from './sqlite.delivery-queue'

interface QueueByHost { host: string | null, queued: number, retrying: number, oldest: string | null, last_error: string | null }
interface FailuresByHost { host: string | null, failures: number, last_at: string | null, last_reason: string | null }

/** `DeliveryControlRepository` on the delivery tables. */
export class SqliteDeliveryControlRepository implements DeliveryControlRepository {
  private readonly insert
  private readonly createdAt
  private readonly release
  private readonly recordFailure
  private readonly remove
  private readonly releaseAll
  private readonly queueByHost
  private readonly failuresByHost

  /** Prepares every statement once; `now` is the clock (ms). */
  constructor (private readonly db: Database.Database, private readonly now: () => number) {
    this.insert = db.prepare<[string, string, string, number, string, string | null, string | null]>(
      `INSERT INTO deliveries (actor_id, address, body, attempt, after_ms, lease_until_ms, created_at, host, ordering_key)
       VALUES (?, ?, ?, 0, ?, NULL, ?, ?, ?)`)
    this.createdAt = db.prepare<[number], { created_at: string }>('SELECT created_at FROM deliveries WHERE id = ?')
    this.release = db.prepare<[number, number]>('UPDATE deliveries SET after_ms = ?, lease_until_ms = NULL WHERE id = ?')
    this.recordFailure = db.prepare<[string, string, number]>(
      `INSERT INTO delivery_failures (id, actor_id, address, attempt, reason, failed_at, host)
       SELECT id, actor_id, address, attempt, ?, ?, host FROM deliveries WHERE id = ?`)
    this.remove = db.prepare<[number]>('DELETE FROM deliveries WHERE id = ?')
    this.releaseAll = db.prepare('UPDATE deliveries SET lease_until_ms = NULL WHERE lease_until_ms IS NOT NULL')
    // The last error is that of the most recently queued delivery that has one.
    this.queueByHost = db.prepare<[], QueueByHost>(
      `SELECT host, COUNT(*) AS queued, SUM(attempt > 0) AS retrying, MIN(created_at) AS oldest,
              (SELECT last_error FROM deliveries l WHERE l.host IS d.host AND l.last_error IS NOT NULL ORDER BY l.id DESC LIMIT 1) AS last_error
       FROM deliveries d GROUP BY host`)
    this.failuresByHost = db.prepare<[], FailuresByHost>(
      `SELECT host, COUNT(*) AS failures, MAX(failed_at) AS last_at,
              (SELECT reason FROM delivery_failures l WHERE l.host IS f.host ORDER BY l.failed_at DESC, l.id DESC LIMIT 1) AS last_reason
       FROM delivery_failures f GROUP BY host`)
  }

  async enqueue (actorId: string, body: string, addresses: string[], orderingKey: string | null): Promise<number> {
    const now = this.now()
    const createdAt = new Date(now).toISOString()
    return this.db.transaction(() => {
      for (const address of addresses) this.insert.run(actorId, address, body, now, createdAt, deliveryHost(address), orderingKey)
      return addresses.length
    })()
  }

  async postpone (id: number, until: Date, maxAgeMs: number): Promise<'postponed' | 'expired'> {
    return this.db.transaction(() => {
      const row = this.createdAt.get(id)
      if (row === undefined) return 'expired'
      const now = this.now()
      if (now - Date.parse(row.created_at) > maxAgeMs) {
        this.recordFailure.run(`still undelivered after ${Math.round(maxAgeMs / 3_600_000)} h: the host's circuit stayed open`, new Date(now).toISOString(), id)
        this.remove.run(id)
        return 'expired'
      }
      this.release.run(until.getTime(), id)
      return 'postponed'
    })()
  }

  async releaseAllLeases (): Promise<number> {
    return this.releaseAll.run().changes
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
    for (const q of this.queueByHost.all()) {
      Object.assign(entry(q.host), { queued: q.queued, retrying: q.retrying ?? 0, oldestQueuedAt: q.oldest, lastError: q.last_error })
    }
    for (const f of this.failuresByHost.all()) {
      Object.assign(entry(f.host), { failures: f.failures, lastFailureAt: f.last_at, lastFailureReason: f.last_reason })
    }
    return [...byHost.values()].sort((a, b) => (b.queued - a.queued) || (b.failures - a.failures) || a.host.localeCompare(b.host))
  }
}
