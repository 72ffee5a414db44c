import type { Logger } from '../../log/logger'
import type { HubStore } from '../../store/store.port'
import type { AudienceResolution } from '../../store/ports/outbox.port'
import type { Apex } from '../apex-setup'
import { allowedAddresses } from '../federation-safety'

/** Jobs resolved at once (each may wait on a fetch of an actor it has not cached). */
const BATCH = 8

/** A job that keeps failing is given up after this many attempts (about 17 hours of back-off). */
const MAX_ATTEMPTS = 12

/** Back-off after a failed attempt: 5 s, doubling, at most 4 hours. */
function backoffMs (attempt: number): number {
  return Math.min(5_000 * 2 ** attempt, 4 * 60 * 60 * 1000)
}

/**
 * The second half of the transactional outbox: turns the audience resolution jobs that
 * publishes stored into deliveries. A job is leased (as deliveries are, owned by this process,
 * released when the process dies); its audience (the actor's followers, explicit recipients,
 * which may need a network fetch) is resolved through apex, blocked domains are left out, and
 * the deliveries are queued and the job removed in one transaction. A crash before that runs the
 * job again; the queue keeps one delivery per activity and inbox, so a re-run sends nothing twice.
 */
export class AudienceResolver {
  private running: Promise<void> | null = null
  private again = false
  private stopped = false

  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly isBlockedHost: (host: string) => Promise<boolean>,
    private readonly logger: Logger,
    /** Called after deliveries were queued: sends them. */
    private readonly onQueued: () => void
  ) {}

  /** Resolves whatever jobs are due (a publish stored one, or the heartbeat looks again). */
  wake (): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.drain()
      .catch(err => this.logger.error({ err }, 'outbox: could not read the audience resolutions'))
      .finally(() => {
        this.running = null
        if (this.again) {
          this.again = false
          this.wake()
        }
      })
  }

  /** Resolves when no job is being resolved. */
  async idle (): Promise<void> {
    while (this.running) await this.running
  }

  /** Claims no more jobs and waits for those being resolved. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.idle()
  }

  private async drain (): Promise<void> {
    while (!this.stopped) {
      const jobs = await this.store.outbox.claimResolutions(BATCH)
      if (jobs.length === 0) return
      await Promise.all(jobs.map(job => this.resolve(job)))
    }
  }

  private async resolve (job: AudienceResolution): Promise<void> {
    try {
      const actor = await this.store.getObject(job.actorId, true)
      let addresses: string[] = []
      if (actor === null) {
        this.logger.warn({ activity: job.activityId, actor: job.actorId }, 'outbox: the sending actor is gone; nothing to deliver')
      } else {
        const found = await this.apex.address({ id: job.activityId, type: 'Activity' }, actor, job.audience)
        addresses = await allowedAddresses(found, this.isBlockedHost, this.logger)
      }
      const queued = await this.store.outbox.finishResolution(job.id, addresses)
      this.logger.debug({ activity: job.activityId, queued }, 'outbox: audience resolved')
      if (queued > 0) this.onQueued()
    } catch (err) {
      const error = (err as Error).message
      if (job.attempt + 1 >= MAX_ATTEMPTS) {
        this.logger.error({ activity: job.activityId, error }, 'outbox: gave up resolving the audience of an activity')
        await this.store.outbox.finishResolution(job.id, [])
        return
      }
      this.logger.warn({ activity: job.activityId, attempt: job.attempt + 1, error }, 'outbox: could not resolve the audience; will retry')
      await this.store.outbox.retryResolution(job.id, new Date(Date.now() + backoffMs(job.attempt)), error)
    }
  }
}
