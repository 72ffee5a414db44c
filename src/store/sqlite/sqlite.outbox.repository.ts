/**
 * The transactional outbox on SQLite (see `OutboxRepository`). The publish writes apex's tables
 * (objects, streams), the hub's records and the job through the same connection in one
 * transaction; better-sqlite3 turns the nested transactions of those writers into savepoints.
 */
import type Database from 'better-sqlite3'
import type { ApexNode } from '../store.port'
import type { AudiencePage, AudienceResolution, OutboxEntry, OutboxRecordChange, OutboxRepository, ResolutionCursor } from '../ports/outbox.port'
import { audiencePageOf } from '../audience-page-rows'
import { deliveryHost } from './sqlite.delivery-queue'

interface JobRow {
  id: number, activity_id: string, actor_id: string, body: string, audience: string, ordering_key: string | null, attempt: number
  cursor_position: number, cursor_seq: number
}
const JOB_COLUMNS = 'id, activity_id, actor_id, body, audience, ordering_key, attempt, cursor_position, cursor_seq'

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
  private readonly keepBody
  private readonly removeJob
  private readonly retry
  private readonly count
  private readonly page
  private readonly pageWithBlocked
  private readonly followersOwner
  private readonly rememberTarget
  private readonly advance
  private readonly forgetTargets

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
    this.jobById = db.prepare<[number], JobRow>(`SELECT ${JOB_COLUMNS} FROM outbox_resolutions WHERE id = ?`)
    this.claim = db.prepare<{ now: number, leaseUntil: number, owner: string, limit: number }, JobRow>(
      `UPDATE outbox_resolutions SET lease_until_ms = :leaseUntil, lease_owner = :owner
       WHERE id IN (
         SELECT r.id FROM outbox_resolutions r
         WHERE r.after_ms <= :now AND (r.lease_until_ms IS NULL OR r.lease_until_ms <= :now)
           AND NOT EXISTS (SELECT 1 FROM outbox_resolutions e WHERE e.ordering_key = r.ordering_key AND e.id < r.id)
         ORDER BY r.id LIMIT :limit)
       RETURNING ${JOB_COLUMNS}`)
    // The body is kept once per publish (migration 17): the rows hold '' and name it by activity id.
    this.insertDelivery = db.prepare<[string, string, number, string, string | null, string | null, string]>(
      `INSERT OR IGNORE INTO deliveries (actor_id, address, body, attempt, after_ms, lease_until_ms, created_at, host, ordering_key, activity_id)
       VALUES (?, ?, '', 0, ?, NULL, ?, ?, ?, ?)`)
    this.keepBody = db.prepare<[string, string]>('INSERT OR IGNORE INTO delivery_bodies (activity_id, body) VALUES (?, ?)')
    this.removeJob = db.prepare<[number]>('DELETE FROM outbox_resolutions WHERE id = ?')
    this.retry = db.prepare<[number, string, number]>(
      `UPDATE outbox_resolutions SET after_ms = ?, attempt = attempt + 1, last_error = ?, lease_until_ms = NULL, lease_owner = NULL
       WHERE id = ?`)
    this.count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox_resolutions')
    // One page of members grouped by delivery target, kept on each membership row (migration 16):
    // one row per distinct target, plus a null-target row for members with none; every row
    // carries the last member it saw, so the cursor moves past members without a target too.
    // Without blocked actors the page is one range of the membership table, kept in the order of
    // its key (migration 19); with them, each member's activity is read for its actor.
    this.page = db.prepare<{ collection: string, after: number, limit: number }, { target: string | null, last: number }>(
      `SELECT p.target, MAX(p.seq) AS last
       FROM (SELECT c.seq, c.target FROM stream_collections c
             WHERE c.collection = :collection AND c.seq > :after ORDER BY c.seq LIMIT :limit) p
       GROUP BY p.target`)
    this.pageWithBlocked = db.prepare<{ collection: string, after: number, limit: number, blocked: string }, { target: string | null, last: number }>(
      `SELECT CASE WHEN s.actor_id IN (SELECT value FROM json_each(:blocked)) THEN NULL ELSE p.target END AS target,
              MAX(p.seq) AS last
       FROM (SELECT c.seq, c.target FROM stream_collections c
             WHERE c.collection = :collection AND c.seq > :after ORDER BY c.seq LIMIT :limit) p
       JOIN streams s ON s.seq = p.seq
       GROUP BY 1`)
    // Few rows have local_actor = 1 (the hub's own actors): an index range, then a look at each.
    this.followersOwner = db.prepare<[string, string], { id: string }>(
      `SELECT id FROM objects WHERE local_actor = 1
         AND (json_extract(doc, '$.followers[0]') = ? OR json_extract(doc, '$.followers') = ?) LIMIT 1`)
    this.rememberTarget = db.prepare<[number, string]>(
      'INSERT INTO outbox_resolution_targets (job_id, address) VALUES (?, ?) ON CONFLICT DO NOTHING')
    this.advance = db.prepare<[number, number, number, string, number]>(
      `UPDATE outbox_resolutions SET cursor_position = ?, cursor_seq = ?, lease_until_ms = ?, lease_owner = ?
       WHERE id = ?`)
    this.forgetTargets = db.prepare<[number]>('DELETE FROM outbox_resolution_targets WHERE job_id = ?')
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
        attempt: row.attempt,
        cursor: { position: row.cursor_position, seq: row.cursor_seq }
      }))
  }

  async finishResolution (id: number, addresses: string[]): Promise<number> {
    return this.db.transaction((): number => {
      const job = this.jobById.get(id)
      if (job === undefined) return 0
      const queued = this.queueNew(job, addresses)
      this.forgetTargets.run(id)
      this.removeJob.run(id)
      return queued
    })()
  }

  async audiencePage (collection: string, afterSeq: number, limit: number, blocked: string[]): Promise<AudiencePage> {
    const rows = blocked.length === 0
      ? this.page.all({ collection, after: afterSeq, limit })
      : this.pageWithBlocked.all({ collection, after: afterSeq, limit, blocked: JSON.stringify(blocked) })
    return audiencePageOf(rows)
  }

  async isLocalFollowersCollection (iri: string): Promise<boolean> {
    return this.followersOwner.get(iri, iri) !== undefined
  }

  async queuePage (id: number, addresses: string[], cursor: ResolutionCursor): Promise<number> {
    return this.db.transaction((): number => {
      const job = this.jobById.get(id)
      if (job === undefined) return 0
      const queued = this.queueNew(job, addresses)
      const now = this.now()
      this.advance.run(cursor.position, cursor.seq, now + this.leaseMs, this.owner, id)
      return queued
    })()
  }

  /**
   * Queues the addresses this job has not queued before, inside the caller's transaction. The
   * job's own record is what keeps a target once per activity across pages: by the time a later
   * page names a shared inbox again, the first delivery may have been sent and its row removed.
   */
  private queueNew (job: JobRow, addresses: string[]): number {
    const now = this.now()
    const createdAt = new Date(now).toISOString()
    let queued = 0
    for (const address of new Set(addresses)) {
      if (this.rememberTarget.run(job.id, address).changes === 0) continue
      queued += this.insertDelivery.run(job.actor_id, address, now, createdAt, deliveryHost(address), job.ordering_key, job.activity_id).changes
    }
    // Again for each page: the deliveries of an earlier page may all be done, and the body gone with them.
    if (queued > 0) this.keepBody.run(job.activity_id, job.body)
    return queued
  }

  async retryResolution (id: number, at: Date, error: string): Promise<void> {
    this.retry.run(at.getTime(), error, id)
  }

  async pendingResolutions (): Promise<number> {
    return this.count.get()?.n ?? 0
  }
}
