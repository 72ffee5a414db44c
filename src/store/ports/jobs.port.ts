/**
 * Storage of scheduled jobs: one lease per job (so a job never overlaps itself, across every
 * hub process sharing the database) and the history of every run.
 */

/** How a run ended; `running` until it does, `abandoned` when its process died holding the lease. */
export type JobOutcome = 'running' | 'succeeded' | 'partial' | 'failed' | 'abandoned'

/** What a run did to the records it looks after. */
export interface JobCounts {
  added: number
  changed: number
  unchanged: number
  gone: number
  rejected: number
}

/** What started a run: its schedule (one run per tick, whichever process wins) or a person. */
export type JobTrigger = 'schedule' | 'manual'

/** One run of a job. */
export interface JobRun {
  id: number
  job: string
  trigger: JobTrigger
  /** The scheduled tick (ISO, whole second) for scheduled runs; null for manual ones. */
  slot: string | null
  /** Which process ran it (host:pid:random). */
  holder: string
  startedAt: string
  endedAt: string | null
  outcome: JobOutcome
  counts: JobCounts
  error: string | null
  /** Per-part results (e.g. one per directory source), for people reading the history. */
  details: unknown[]
}

/** What `start` answers: the new run, or why there is none. */
export type JobStart =
  | { started: true, run: JobRun }
  | { started: false, reason: 'already-run' | 'busy', holder?: string, leaseUntil?: string }

/** The lease a running job holds. */
export interface JobLease {
  job: string
  holder: string
  runId: number
  until: string
}

/** How a run ended, as the runner reports it. */
export interface JobResult {
  outcome: Exclude<JobOutcome, 'running' | 'abandoned'>
  counts: JobCounts
  error: string | null
  details: unknown[]
}

/** Job leases and run history. */
export interface JobRepository {
  /**
   * In one transaction: refuses when a run for this `slot` already exists (another process took
   * the tick) or another holder's lease has not expired; otherwise marks a run whose lease
   * expired as abandoned, takes the lease for `leaseMs` and records a new running run.
   */
  start(input: { job: string, trigger: JobTrigger, slot: string | null, holder: string, leaseMs: number }): Promise<JobStart>
  /** Extends the holder's lease; false when the holder lost it. */
  renew(job: string, holder: string, leaseMs: number): Promise<boolean>
  /** Records how the run ended and releases its lease, in one transaction. */
  finish(runId: number, result: JobResult): Promise<JobRun>
  getRun(id: number): Promise<JobRun | null>
  /** Runs newest first, of one job or of all. */
  listRuns(filter: { job?: string, limit: number }): Promise<JobRun[]>
  /** The newest run of each job that has one. */
  lastRuns(): Promise<Record<string, JobRun>>
  /** The lease a job holds now, or null. */
  lease(job: string): Promise<JobLease | null>
}

