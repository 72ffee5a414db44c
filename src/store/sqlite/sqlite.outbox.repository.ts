/**
 * The transactional outbox on SQLite (see `OutboxRepository`). The publish writes apex's tables
 * (objects, streams), the hub's records and the job through the same connection in one
 * transaction; better-sqlite3 turns the nested transactions of those writers into savepoints.
 */
import type Database from 'better-sqlite3'
import type { ApexNode } from '../store.port'
import type { AudienceResolution, OutboxEntry, OutboxRecordChange, OutboxRepository } from '../ports/outbox.port'
import { deliveryHost } from './sqlite.delivery-queue'

interface JobRow { id: number, activity_id: string, actor_id: string, body: string, audience: string, ordering_key: string | null, attempt: number }

/** The writers a publish goes through: the same ones the rest of the store uses. */
export interface OutboxWriters {
  saveObject: (object: ApexNode) => boolean
  replaceObject: (object: ApexNode) => void
  saveActivity: (activity: ApexNode) => void
  applyRecord: (change: OutboxRecordChange) => void
}

/** `OutboxRepository` on the `outbox_resolutions` and `deliveries` tables. */
export class SqliteOutboxRepository implements OutboxRepository {
  private readonly insertJob
  private readonly jobById
  private readonly claim
  private readonly insertDelivery
  private readonly removeJob
  private readonly retry
  private readonly count

  /** Prepares every statement once; `now` is the clock (ms), `leaseMs` how long a claim holds, `owner` who claims. */
  constructor (
    private readonly db: Database.Database,
    private readonly writers: OutboxWriters,
    private readonly now: () => number,
    private readonly leaseMs: number,
    private readonly owner: string
  ) {
    this.insertJob = db.prepare<[string, string, string, string, string | null, number, string]>(
      `INSERT INTO outbox_resolutions (activity_id, actor_id, body, audience, ordering_key, after_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`)
    this.jobById = db.prepare<[number], JobRow>('SELECT id, activity_id, actor_id, body, audience, ordering_key, attempt FROM outbox_resolutions WHERE id = ?')
    this.claim = db.prepare<{ now: number, leaseUntil: number, owner: string, limit: number }, JobRow>(
      `UPDATE outbox_resolutions SET lease_until_ms = :leaseUntil, lease_owner = :owner
       WHERE id IN (
         SELECT r.id FROM outbox_resolutions r
         WHERE r.after_ms <= :now AND (r.lease_until_ms IS NULL OR r.lease_until_ms <= :now)
           AND NOT EXISTS (SELECT 1 FROM outbox_resolutions e WHERE e.ordering_key = r.ordering_key AND e.id < r.id)
         ORDER BY r.id LIMIT :limit)
       RETURNING id, activity_id, actor_id, body, audience, ordering_key, attempt`)
    this.insertDelivery = db.prepare<[string, string, string, number, string, string | null, string | null, string]>(
      `INSERT OR IGNORE INTO deliveries (actor_id, address, body, attempt, after_ms, lease_until_ms, created_at, host, ordering_key, activity_id)
       VALUES (?, ?, ?, 0, ?, NULL, ?, ?, ?, ?)`)
    this.removeJob = db.prepare<[number]>('DELETE FROM outbox_resolutions WHERE id = ?')
    this.retry = db.prepare<[number, string, number]>(
      `UPDATE outbox_resolutions SET after_ms = ?, attempt = attempt + 1, last_error = ?, lease_until_ms = NULL, lease_owner = NULL
       WHERE id = ?`)
    this.count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox_resolutions')
  }

  async publish (entry: OutboxEntry): Promise<number> {
    return (await this.publishAll([entry]))[0]
  }

  async publishAll (entries: OutboxEntry[]): Promise<number[]> {
    const now = this.now()
    return this.db.transaction((): number[] => entries.map(entry => this.write(entry, now)))()
  }

  /** One publish, inside the caller's transaction; answers its job's id. */
  private write (entry: OutboxEntry, now: number): number {
    const { resolution } = entry
    for (const object of entry.objects ?? []) {
      if (!this.writers.saveObject(object)) this.writers.replaceObject(object)
    }
    if (entry.activity !== undefined) this.writers.saveActivity(entry.activity)
    for (const change of entry.records ?? []) this.writers.applyRecord(change)
    const job = this.insertJob.run(resolution.activityId, resolution.actorId, resolution.body,
      JSON.stringify(resolution.audience), resolution.orderingKey, now, new Date(now).toISOString())
    return Number(job.lastInsertRowid)
  }

  async claimResolutions (limit: number): Promise<AudienceResolution[]> {
    const now = this.now()
    return this.claim.all({ now, leaseUntil: now + this.leaseMs, owner: this.owner, limit })
      .sort((a, b) => a.id - b.id)
      .map(row => ({
        id: row.id,
        activityId: row.activity_id,
        actorId: row.actor_id,
        body: row.body,
        audience: JSON.parse(row.audience) as string[],
        orderingKey: row.ordering_key,
        attempt: row.attempt
      }))
  }

  async finishResolution (id: number, addresses: string[]): Promise<number> {
    return this.db.transaction((): number => {
      const job = this.jobById.get(id)
      if (job === undefined) return 0
      const now = this.now()
      const createdAt = new Date(now).toISOString()
      let queued = 0
      for (const address of new Set(addresses)) {
        queued += this.insertDelivery.run(job.actor_id, address, job.body, now, createdAt, deliveryHost(address), job.ordering_key, job.activity_id).changes
      }
      this.removeJob.run(id)
      return queued
    })()
  }

  async retryResolution (id: number, at: Date, error: string): Promise<void> {
    this.retry.run(at.getTime(), error, id)
  }

  async pendingResolutions (): Promise<number> {
    return this.count.get()?.n ?? 0
  }
}
