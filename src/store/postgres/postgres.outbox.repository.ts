/**
 * The transactional outbox on PostgreSQL (see `OutboxRepository`). A publish writes apex's
 * documents, the hub's records and the resolution job in one transaction through `writers`,
 * which the store gives (they write on the transaction's connection). Jobs are claimed with
 * `FOR UPDATE SKIP LOCKED`, so processes on several machines resolve different jobs at once.
 */
import type { ApexNode } from '../store.port'
import type { AudiencePage, AudienceResolution, OutboxEntry, OutboxRecordChange, OutboxRepository, ResolutionCursor } from '../ports/outbox.port'
import { audiencePageOf } from '../audience-page-rows'
import type { PostgresDatabase, Queryable } from './postgres-database'
import { deliveryHost } from './postgres.delivery-queue'
import { notifyWakeup, WAKEUP_CHANNELS } from './postgres-wakeups'

interface JobRow {
  id: number, activity_id: string, actor_id: string, body: string, audience: string[], ordering_key: string | null, attempt: number
  cursor_position: number, cursor_seq: number
}

/** The writers a publish goes through, each on the publish's transaction. */
export interface PostgresOutboxWriters {
  /** Inserts an object; false when one with its id exists. */
  saveObject: (tx: Queryable, object: ApexNode) => Promise<boolean>
  /** Replaces the stored document of that id, its meta kept. */
  replaceObject: (tx: Queryable, object: ApexNode) => Promise<void>
  saveActivity: (tx: Queryable, activity: ApexNode) => Promise<void>
  applyRecord: (tx: Queryable, change: OutboxRecordChange) => Promise<void>
}

/** `OutboxRepository` on the `outbox_resolutions` and `deliveries` tables. */
export class PostgresOutboxRepository implements OutboxRepository {
  /** `now` is the clock (ms), `leaseMs` how long a claim holds, `owner` the process that claims. */
  constructor (
    private readonly db: PostgresDatabase,
    private readonly writers: PostgresOutboxWriters,
    private readonly now: () => number,
    private readonly leaseMs: number,
    private readonly owner: string
  ) {}

  async publish (entry: OutboxEntry): Promise<number> {
    return (await this.publishAll([entry]))[0]
  }

  async publishAll (entries: OutboxEntry[]): Promise<number[]> {
    const now = this.now()
    return await this.db.transaction(async tx => {
      const ids: number[] = []
      for (const entry of entries) ids.push(await this.write(tx, entry, now))
      // Sent at commit: a process woken by it finds the jobs.
      await notifyWakeup(tx, WAKEUP_CHANNELS.outbox)
      return ids
    })
  }

  /** One publish, inside the caller's transaction; answers its job's id. */
  private async write (tx: Queryable, entry: OutboxEntry, now: number): Promise<number> {
    const { resolution } = entry
    for (const object of entry.objects ?? []) {
      if (!await this.writers.saveObject(tx, object)) await this.writers.replaceObject(tx, object)
    }
    if (entry.activity !== undefined) await this.writers.saveActivity(tx, entry.activity)
    for (const change of entry.records ?? []) await this.writers.applyRecord(tx, change)
    const job = await tx.query<{ id: number }>(`INSERT INTO outbox_resolutions (activity_id, actor_id, body, audience, ordering_key, after_ms, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [resolution.activityId, resolution.actorId, resolution.body, JSON.stringify(resolution.audience), resolution.orderingKey, now, new Date(now).toISOString()])
    return job.rows[0].id
  }

  async claimResolutions (limit: number): Promise<AudienceResolution[]> {
    const now = this.now()
    // A job waits while an earlier one with its ordering key is still there.
    const rows = await this.db.query<JobRow>(`
      WITH picked AS (
        SELECT r.id FROM outbox_resolutions r
        WHERE r.after_ms <= $1 AND (r.lease_until_ms IS NULL OR r.lease_until_ms <= $1)
          AND NOT EXISTS (SELECT 1 FROM outbox_resolutions e WHERE e.ordering_key = r.ordering_key AND e.id < r.id)
        ORDER BY r.id LIMIT $4
        FOR UPDATE OF r SKIP LOCKED)
      UPDATE outbox_resolutions o SET lease_until_ms = $2, lease_owner = $3 FROM picked WHERE o.id = picked.id
      RETURNING o.id, o.activity_id, o.actor_id, o.body, o.audience, o.ordering_key, o.attempt, o.cursor_position, o.cursor_seq`,
    [now, now + this.leaseMs, this.owner, limit])
    return rows.rows.sort((a, b) => a.id - b.id).map(row => ({
      id: row.id,
      activityId: row.activity_id,
      actorId: row.actor_id,
      body: row.body,
      audience: row.audience,
      orderingKey: row.ordering_key,
      attempt: row.attempt,
      cursor: { position: row.cursor_position, seq: row.cursor_seq }
    }))
  }

  async finishResolution (id: number, addresses: string[]): Promise<number> {
    return await this.db.transaction(async tx => {
      // Locks the job: a second process finishing the same job waits, then finds it gone.
      const job = (await tx.query<JobRow>('SELECT * FROM outbox_resolutions WHERE id = $1 FOR UPDATE', [id])).rows[0]
      if (job === undefined) return 0
      const queued = await this.queueNew(tx, job, addresses)
      // Its record of queued targets goes with it (ON DELETE CASCADE).
      await tx.query('DELETE FROM outbox_resolutions WHERE id = $1', [id])
      return queued
    })
  }

  async audiencePage (collection: string, afterSeq: number, limit: number, blocked: string[]): Promise<AudiencePage> {
    // One page of members (an index range on stream_collections), grouped by delivery target:
    // one row per distinct target, plus a null-target row for members with none; every row
    // carries the last member it saw, so the cursor moves past members without a target too.
    // Each membership row keeps its member's target (migration 10): a page is one index range;
    // only when the sender blocks someone is the activity's actor looked at, to leave them out.
    const rows = blocked.length === 0
      ? (await this.db.query<{ target: string | null, last: number }>(`
          SELECT p.target, max(p.seq) AS last
          FROM (SELECT seq, target FROM stream_collections WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3) p
          GROUP BY p.target`, [collection, afterSeq, limit])).rows
      : (await this.db.query<{ target: string | null, last: number }>(`
          SELECT CASE WHEN s.actor_id = ANY ($4::text[]) THEN NULL ELSE p.target END AS target, max(p.seq) AS last
          FROM (SELECT seq, target FROM stream_collections WHERE collection = $1 AND seq > $2 ORDER BY seq LIMIT $3) p
          JOIN streams s ON s.seq = p.seq
          GROUP BY 1`, [collection, afterSeq, limit, blocked])).rows
    return audiencePageOf(rows)
  }

  async isLocalFollowersCollection (iri: string): Promise<boolean> {
    // Few rows are local actors (the hub's own): an index range, then a look at each.
    const found = await this.db.query(`SELECT 1 FROM objects WHERE local_actor
      AND (doc -> 'followers' ->> 0 = $1 OR doc ->> 'followers' = $1) LIMIT 1`, [iri])
    return (found.rowCount ?? 0) > 0
  }

  async queuePage (id: number, addresses: string[], cursor: ResolutionCursor): Promise<number> {
    return await this.db.transaction(async tx => {
      const job = (await tx.query<JobRow>('SELECT * FROM outbox_resolutions WHERE id = $1 FOR UPDATE', [id])).rows[0]
      if (job === undefined) return 0
      const queued = await this.queueNew(tx, job, addresses)
      await tx.query('UPDATE outbox_resolutions SET cursor_position = $1, cursor_seq = $2, lease_until_ms = $3, lease_owner = $4 WHERE id = $5',
        [cursor.position, cursor.seq, this.now() + this.leaseMs, this.owner, id])
      return queued
    })
  }

  /**
   * Queues the addresses this job has not queued before, inside the caller's transaction. The
   * job's own record is what keeps a target once per activity across pages: by the time a later
   * page names a shared inbox again, the first delivery may have been sent and its row removed.
   */
  private async queueNew (tx: Queryable, job: JobRow, addresses: string[]): Promise<number> {
    const now = this.now()
    const fresh = (await tx.query<{ address: string }>(`INSERT INTO outbox_resolution_targets (job_id, address)
      SELECT $1, a.address FROM unnest($2::text[]) WITH ORDINALITY AS a (address, n) ORDER BY a.n
      ON CONFLICT DO NOTHING RETURNING address`, [job.id, [...new Set(addresses)]])).rows.map(r => r.address)
    if (fresh.length === 0) return 0
    const queued = await tx.query(`INSERT INTO deliveries (actor_id, address, body, attempt, after_ms, created_at, host, ordering_key, activity_id)
      SELECT $1, a.address, $2, 0, $3, $4, a.host, $5, $6 FROM unnest($7::text[], $8::text[]) WITH ORDINALITY AS a (address, host, n) ORDER BY a.n
      ON CONFLICT (activity_id, address) WHERE activity_id IS NOT NULL DO NOTHING`,
    [job.actor_id, job.body, now, new Date(now).toISOString(), job.ordering_key, job.activity_id, fresh, fresh.map(deliveryHost)])
    // Sent at commit: a process woken by it finds the deliveries.
    if (queued.rowCount) await notifyWakeup(tx, WAKEUP_CHANNELS.deliveries)
    return queued.rowCount ?? 0
  }

  async retryResolution (id: number, at: Date, error: string): Promise<void> {
    await this.db.query(`UPDATE outbox_resolutions SET after_ms = $1, attempt = attempt + 1, last_error = $2, lease_until_ms = NULL, lease_owner = NULL
      WHERE id = $3`, [at.getTime(), error, id])
  }

  async pendingResolutions (): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_resolutions')).rows[0].n
  }
}

