/**
 * Runs one job under its lease: start (refused when the tick was already run or the lease is
 * held), renew the lease while it works, record how it ended. The same code runs scheduled
 * ticks and runs a person asks for.
 */
import crypto from 'node:crypto'
import os from 'node:os'
import type { Logger } from '../../log/logger'
import type { JobRepository, JobRun, JobTrigger } from '../../store/ports/jobs.port'
import { zeroCounts } from './job-counts'
import type { Job, JobProgress } from './job'
import type { JobName } from '../../domain/job-names'

/** What asking for a run answers: the finished run, or why none ran. */
export type RunAnswer =
  | { ran: true, run: JobRun }
  | { ran: false, reason: 'already-run' | 'busy' | 'unknown-job', message: string }

/** Options of one run. */
export interface RunRequest {
  trigger: JobTrigger
  /** The scheduled tick for scheduled runs. */
  slot?: Date
  progress?: (progress: JobProgress) => void
  options?: Record<string, string>
}

/** Runs jobs under leases and records them. */
export class JobRunner {
  /** This process's name in leases and run records. */
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`
  private readonly inFlight = new Set<Promise<unknown>>()

  constructor (
    private readonly repository: JobRepository,
    private readonly jobs: ReadonlyMap<JobName, Job>,
    private readonly leaseMs: number,
    private readonly logger: Logger
  ) {}

  /** The job of that name, if there is one. */
  job (name: JobName): Job | undefined {
    return this.jobs.get(name)
  }

  /** Runs a job now (if its lease is free and, for a tick, the tick is not taken). */
  async run (name: JobName, request: RunRequest): Promise<RunAnswer> {
    const job = this.jobs.get(name)
    if (!job) return { ran: false, reason: 'unknown-job', message: `There is no job "${name}"` }
    const slot = request.slot ? new Date(Math.floor(request.slot.getTime() / 1000) * 1000).toISOString() : null
    const start = await this.repository.start({ job: name, trigger: request.trigger, slot, holder: this.holder, leaseMs: this.leaseMs })
    if (!start.started) {
      const message = start.reason === 'already-run'
        ? `The ${slot} run of ${name} was already taken by another hub process`
        : `${name} is already running (${start.holder}, lease until ${start.leaseUntil})`
      this.logger.info({ job: name, slot, reason: start.reason }, 'job not started: another run has it')
      return { ran: false, reason: start.reason, message }
    }
    const work = this.execute(job, start.run, request)
    this.inFlight.add(work)
    try {
      return { ran: true, run: await work }
    } finally {
      this.inFlight.delete(work)
    }
  }

  /** Waits for the runs this process has in flight. */
  async idle (): Promise<void> {
    await Promise.allSettled([...this.inFlight])
  }

  private async execute (job: Job, run: JobRun, request: RunRequest): Promise<JobRun> {
    const log = this.logger.child({ job: job.name, run: run.id })
    log.info({ trigger: run.trigger, slot: run.slot }, 'job started')
    const renewal = setInterval(() => {
      this.repository.renew(job.name, this.holder, this.leaseMs).then(held => {
        if (!held) log.warn('job lease lost while running: another process may start this job')
      }, err => log.warn({ err }, 'could not renew job lease'))
    }, Math.max(1000, Math.floor(this.leaseMs / 3)))
    renewal.unref()
    let finished: JobRun
    try {
      const output = await job.run({ trigger: request.trigger, progress: request.progress ?? (() => {}), options: request.options ?? {} })
      finished = await this.repository.finish(run.id, output)
    } catch (err) {
      log.error({ err }, 'job failed unexpectedly')
      finished = await this.repository.finish(run.id, { outcome: 'failed', counts: zeroCounts(), error: (err as Error).message, details: [] })
    } finally {
      clearInterval(renewal)
    }
    log.info({ outcome: finished.outcome, counts: finished.counts, error: finished.error }, 'job finished')
    return finished
  }
}
