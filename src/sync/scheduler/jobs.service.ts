/** What the API and the CLI show and do about jobs: schedules, last and next runs, history, run now. */
import type { SyncConfig } from '../../config/sync-config'
import { ConflictError, NotFoundError } from '../../errors/app-errors'
import type { JobLease, JobRepository, JobRun } from '../../store/ports/jobs.port'
import type { JobProgress } from './job'
import { isJobName, JOB_NAMES, JobName } from '../../domain/job-names'
import type { JobRunner } from './job-runner'
import { nextRuns } from './scheduler'

/** One job as people see it. */
export interface JobView {
  name: JobName
  description: string
  /** The cron expression, or null when its schedule is off (it can still be run by hand). */
  schedule: string | null
  timezone: string
  nextRun: string | null
  lastRun: JobRun | null
  /** The lease while it runs somewhere. */
  running: JobLease | null
}

/** Jobs for the API and the CLI. */
export class JobsService {
  constructor (
    private readonly runner: JobRunner,
    private readonly repository: JobRepository,
    private readonly config: SyncConfig,
    private readonly now: () => number = Date.now
  ) {}

  /** Every job with its schedule, last run and next run. */
  async list (): Promise<JobView[]> {
    const last = await this.repository.lastRuns()
    const views: JobView[] = []
    for (const name of JOB_NAMES) {
      const job = this.runner.job(name)
      if (!job) continue
      const schedule = this.config.schedules[name]
      const lease = await this.repository.lease(name)
      views.push({
        name,
        description: job.description,
        schedule,
        timezone: this.config.timezone,
        nextRun: nextRuns(schedule, this.config.timezone)[0]?.toISOString() ?? null,
        lastRun: last[name] ?? null,
        running: lease && Date.parse(lease.until) > this.now() ? lease : null
      })
    }
    return views
  }

  /** A job's runs, newest first; 404 for an unknown job. */
  async history (name: string, limit = 20): Promise<JobRun[]> {
    return this.repository.listRuns({ job: this.requireName(name), limit })
  }

  /** Runs a job now and answers the finished run; 409 when it is running elsewhere. */
  async runNow (name: string, options: Record<string, string> = {}, progress?: (p: JobProgress) => void): Promise<JobRun> {
    const answer = await this.runner.run(this.requireName(name), { trigger: 'manual', options, progress })
    if (!answer.ran) {
      if (answer.reason === 'unknown-job') throw new NotFoundError(answer.message)
      throw new ConflictError(answer.message)
    }
    return answer.run
  }

  private requireName (name: string): JobName {
    if (!isJobName(name) || !this.runner.job(name)) throw new NotFoundError(`There is no job "${name}"; the jobs are ${JOB_NAMES.join(', ')}`)
    return name
  }
}
