/**
 * Job leases and run history on PostgreSQL. `start` takes a transaction-scoped advisory lock on
 * the job's name first, so processes on any number of machines decide one after the other: the
 * second sees the first's run or lease. The unique (job, slot) index backs it up.
 */
import type { JobCounts, JobLease, JobRepository, JobResult, JobRun, JobStart, JobTrigger } from '../ports/jobs.port'
import type { PostgresDatabase, Queryable } from './postgres-database'

interface RunRow {
  id: number
  job: string
  trigger: string
  slot: string | null
  holder: string
  started_at: string
  ended_at: string | null
  outcome: string
  counts: JobCounts
  error: string | null
  details: unknown[]
}

interface LeaseRow { job: string, holder: string, run_id: number, until_ms: number }

const NO_COUNTS: JobCounts = { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }

/** `JobRepository` on the hub's PostgreSQL database. */
export class PostgresJobRepository implements JobRepository {
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async start (input: { job: string, trigger: JobTrigger, slot: string | null, holder: string, leaseMs: number }): Promise<JobStart> {
    return await this.db.transaction(async (tx): Promise<JobStart> => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('hub-job:' || $1))", [input.job])
      const now = this.now()
      if (input.slot !== null) {
        const taken = await tx.query('SELECT id FROM job_runs WHERE job = $1 AND slot = $2', [input.job, input.slot])
        if (taken.rowCount) return { started: false, reason: 'already-run' }
      }
      const lease = await leaseRow(tx, input.job)
      if (lease && lease.until_ms > now) {
        return { started: false, reason: 'busy', holder: lease.holder, leaseUntil: new Date(lease.until_ms).toISOString() }
      }
      if (lease) {
        // The holder stopped renewing without finishing: its process died or hung.
        await tx.query(`UPDATE job_runs SET outcome = 'abandoned', ended_at = $1, error = $2 WHERE id = $3 AND outcome = 'running'`,
          [new Date(now).toISOString(), `the lease of ${lease.holder} expired before the run finished`, lease.run_id])
      }
      const inserted = await tx.query<RunRow>(`
        INSERT INTO job_runs (job, trigger, slot, holder, started_at, outcome, counts, details)
        VALUES ($1, $2, $3, $4, $5, 'running', $6, '[]') RETURNING *`,
      [input.job, input.trigger, input.slot, input.holder, new Date(now).toISOString(), JSON.stringify(NO_COUNTS)])
      const run = inserted.rows[0]
      await tx.query(`
        INSERT INTO job_leases (job, holder, run_id, until_ms) VALUES ($1, $2, $3, $4)
        ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, run_id = excluded.run_id, until_ms = excluded.until_ms`,
      [input.job, input.holder, run.id, now + input.leaseMs])
      return { started: true, run: toRun(run) }
    })
  }

  async renew (job: string, holder: string, leaseMs: number): Promise<boolean> {
    const result = await this.db.query('UPDATE job_leases SET until_ms = $1 WHERE job = $2 AND holder = $3', [this.now() + leaseMs, job, holder])
    return result.rowCount === 1
  }

  async finish (runId: number, result: JobResult): Promise<JobRun> {
    return await this.db.transaction(async tx => {
      const updated = await tx.query<RunRow>('UPDATE job_runs SET outcome = $1, ended_at = $2, counts = $3, error = $4, details = $5 WHERE id = $6 RETURNING *',
        [result.outcome, new Date(this.now()).toISOString(), JSON.stringify(result.counts), result.error, JSON.stringify(result.details), runId])
      await tx.query('DELETE FROM job_leases WHERE run_id = $1', [runId])
      const row = updated.rows[0]
      if (!row) throw new Error(`There is no job run ${runId}`)
      return toRun(row)
    })
  }

  async getRun (id: number): Promise<JobRun | null> {
    const row = (await this.db.query<RunRow>('SELECT * FROM job_runs WHERE id = $1', [id])).rows[0]
    return row ? toRun(row) : null
  }

  async listRuns (filter: { job?: string, limit: number }): Promise<JobRun[]> {
    const rows = filter.job === undefined
      ? await this.db.query<RunRow>('SELECT * FROM job_runs ORDER BY id DESC LIMIT $1', [filter.limit])
      : await this.db.query<RunRow>('SELECT * FROM job_runs WHERE job = $1 ORDER BY id DESC LIMIT $2', [filter.job, filter.limit])
    return rows.rows.map(toRun)
  }

  async lastRuns (): Promise<Record<string, JobRun>> {
    const rows = await this.db.query<RunRow>('SELECT DISTINCT ON (job) * FROM job_runs ORDER BY job, id DESC')
    return Object.fromEntries(rows.rows.map(r => [r.job, toRun(r)]))
  }

  async lease (job: string): Promise<JobLease | null> {
    const row = await leaseRow(this.db, job)
    return row ? { job: row.job, holder: row.holder, runId: row.run_id, until: new Date(row.until_ms).toISOString() } : null
  }
}

async function leaseRow (db: Queryable, job: string): Promise<LeaseRow | undefined> {
  return (await db.query<LeaseRow>('SELECT * FROM job_leases WHERE job = $1', [job])).rows[0]
}

function toRun (row: RunRow): JobRun {
  return {
    id: row.id,
    job: row.job,
    trigger: row.trigger as JobTrigger,
    slot: row.slot,
    holder: row.holder,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome as JobRun['outcome'],
    counts: row.counts,
    error: row.error,
    details: row.details
  }
}
