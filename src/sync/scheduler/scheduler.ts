/**
 * Fires each job on its node-cron schedule. node-cron's `noOverlap` keeps a job from overlapping
 * itself in this process; the lease in the store (JobRunner) does it across processes, and the
 * tick's time (the same in every process) makes each tick run once.
 */
import cron, { ScheduledTask } from 'node-cron'
import type { SyncConfig } from '../../config/sync-config'
import type { Logger } from '../../log/logger'
import type { JobRunner } from './job-runner'
import { JOB_NAMES, JobName } from '../../domain/job-names'

/** Starts and stops the schedules of one hub process. */
export class Scheduler {
  private tasks: ScheduledTask[] = []
  private readonly firing = new Set<Promise<void>>()

  constructor (private readonly runner: JobRunner, private readonly config: SyncConfig, private readonly logger: Logger) {}

  /** Schedules every job that has a schedule. */
  start (): void {
    if (this.tasks.length) return
    const cronLogger = {
      info: (m: string) => this.logger.debug(m),
      warn: (m: string) => this.logger.warn(m),
      error: (m: string | Error, err?: Error) => this.logger.error({ err: err ?? m }, 'scheduler error'),
      debug: (m: string | Error) => this.logger.debug(String(m))
    }
    for (const name of JOB_NAMES) {
      const expression = this.config.schedules[name]
      if (!expression || !this.runner.job(name)) continue
      this.tasks.push(cron.schedule(expression, context => this.track(this.fire(name, context.date)), {
        name: `ioocloud-${name}`,
        noOverlap: true,
        timezone: this.config.timezone,
        logger: cronLogger,
        suppressMissedWarning: true
      }))
    }
    this.logger.info({ schedules: this.config.schedules, timezone: this.config.timezone }, 'scheduler started')
  }

  /** Stops firing and waits for runs in flight. */
  async stop (): Promise<void> {
    const tasks = this.tasks
    this.tasks = []
    for (const task of tasks) await task.destroy()
    await Promise.allSettled([...this.firing])
    await this.runner.idle()
  }

  private async track (firing: Promise<void>): Promise<void> {
    this.firing.add(firing)
    try { await firing } finally { this.firing.delete(firing) }
  }

  private async fire (name: JobName, slot: Date): Promise<void> {
    try {
      await this.runner.run(name, { trigger: 'schedule', slot })
    } catch (err) {
      // The store itself failed (e.g. locked for too long): log it, the next tick tries again.
      this.logger.error({ err, job: name }, 'could not run a scheduled job')
    }
  }
}

/** The next `count` times an expression fires, or [] when it is off. */
export function nextRuns (expression: string | null, timezone: string, count = 1): Date[] {
  if (!expression) return []
  const task = cron.createTask(expression, () => {}, { timezone })
  try {
    return task.getNextRuns(count)
  } finally {
    void task.destroy()
  }
}
