/**
 * Job leases and run history on SQLite. `start` runs as an IMMEDIATE transaction, so two hub
 * processes sharing the file decide one after the other: the second sees the first's run.
 */
import type Database from 'better-sqlite3'
import type { JobCounts, JobLease, JobRepository, JobResult, JobRun, JobStart, JobTrigger } from '../ports/jobs.port'

interface RunRow {
  id: number
  job: string
  trigger: string
  slot: string | null
  holder: string
  started_at: string
  ended_at: string | null
  outcome: string
  counts: string
  error: string | null
  details: string
}

interface LeaseRow { job: string, holder: string, run_id: number, until_ms: number }

const NO_COUNTS: JobCounts = { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }

/** `JobRepository` on the hub's SQLite database. */
export class SqliteJobRepository implements JobRepository {
  constructor (private readonly db: Database.Database, private readonly now: () => number = Date.now) {}

  async start (input: { job: string, trigger: JobTrigger, slot: string | null, holder: string, leaseMs: number }): Promise<JobStart> {
    return this.db.transaction((): JobStart => {
      const now = this.now()
      if (input.slot !== null) {
        const taken = this.db.prepare<[string, string], { id: number }>('SELECT id FROM job_runs WHERE job = ? AND slot = ?').get(input.job, input.slot)
        if (taken) return { started: false, reason: 'already-run' }
      }
      const lease = this.leaseRow(input.job)
      if (lease && lease.until_ms > now) {
        return { started: false, reason: 'busy', holder: lease.holder, leaseUntil: new Date(lease.until_ms).toISOString() }
      }
      if (lease) {
        // The holder stopped renewing without finishing: its process died or hung.
        this.db.prepare(`UPDATE job_runs SET outcome = 'abandoned', ended_at = ?, error = ? WHERE id = ? AND outcome = 'running'`)
          .run(new Date(now).toISOString(), `the lease of ${lease.holder} expired before the run finished`, lease.run_id)
      }
      const startedAt = new Date(now).toISOString()
      const id = Number(this.db.prepare(`
        INSERT INTO job_runs (job, trigger, slot, holder, started_at, outcome, counts, details)
        VALUES (?, ?, ?, ?, ?, 'running', ?, '[]')`)
        .run(input.job, input.trigger, input.slot, input.holder, startedAt, JSON.stringify(NO_COUNTS)).lastInsertRowid)
      this.db.prepare(`
        INSERT INTO job_leases (job, holder, run_id, until_ms) VALUES (?, ?, ?, ?)
        ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, run_id = excluded.run_id, until_ms = excluded.until_ms`)
        .run(input.job, input.holder, id, now + input.leaseMs)
      return { started: true, run: toRun(this.runRow(id) as RunRow) }
    }).immediate()
  }

  async renew (job: string, holder: string, leaseMs: number): Promise<boolean> {
    const result = this.db.prepare('UPDATE job_leases SET until_ms = ? WHERE job = ? AND holder = ?').run(this.now() + leaseMs, job, holder)
    return result.changes === 1
  }

  async finish (runId: number, result: JobResult): Promise<JobRun> {
    return this.db.transaction(() => {
      this.db.prepare('UPDATE job_runs SET outcome = ?, ended_at = ?, counts = ?, error = ?, details = ? WHERE id = ?')
        .run(result.outcome, new Date(this.now()).toISOString(), JSON.stringify(result.counts), result.error, JSON.stringify(result.details), runId)
      this.db.prepare('DELETE FROM job_leases WHERE run_id = ?').run(runId)
      const row = this.runRow(runId)
      if (!row) throw new Error(`There is no job run ${runId}`)
      return toRun(row)
    }).immediate()
  }

  async getRun (id: number): Promise<JobRun | null> {
    const row = this.runRow(id)
    return row ? toRun(row) : null
  }

  async listRuns (filter: { job?: string, limit: number }): Promise<JobRun[]> {
    const rows = filter.job === undefined
      ? this.db.prepare<[number], RunRow>('SELECT * FROM job_runs ORDER BY id DESC LIMIT ?').all(filter.limit)
      : this.db.prepare<[string, number], RunRow>('SELECT * FROM job_runs WHERE job = ? ORDER BY id DESC LIMIT ?').all(filter.job, filter.limit)
    return rows.map(toRun)
  }

  async lastRuns (): Promise<Record<string, JobRun>> {
    const rows = this.db.prepare<[], RunRow>('SELECT * FROM job_runs WHERE id IN (SELECT MAX(id) FROM job_runs GROUP BY job)').all()
    return Object.fromEntries(rows.map(r => [r.job, toRun(r)]))
  }

  async lease (job: string): Promise<JobLease | null> {
    const row = this.leaseRow(job)
    return row ? { job: row.job, holder: row.holder, runId: row.run_id, until: new Date(row.until_ms).toISOString() } : null
  }

  private leaseRow (job: string): LeaseRow | undefined {
    return this.db.prepare<[string], LeaseRow>('SELECT * FROM job_leases WHERE job = ?').get(job)
  }

  private runRow (id: number): RunRow | undefined {
    return this.db.prepare<[number], RunRow>('SELECT * FROM job_runs WHERE id = ?').get(id)
  }
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
    counts: JSON.parse(row.counts) as JobCounts,
    error: row.error,
    details: JSON.parse(row.details) as unknown[]
  }
}
