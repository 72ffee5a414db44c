/**
 * Catch-up outside the schedule: when a follow of a remote co-op is accepted, or a followed
 * co-op that was failing is heard from again, what it already publishes (services, pools) is
 * fetched at once through sibling sync, instead of waiting for the next `siblings` run. Work is
 * queued so the inbox handler that asked never waits; one co-op at a time, each at most once in
 * the queue. A catch-up that fails is tried again later (the co-op's hub may be down).
 */
import type { Logger } from '../../log/logger'
import type { SiblingRepository } from '../../store/ports/siblings.port'
import type { SiblingResult, SiblingSync } from './sibling-sync'

/** Delays before trying a failed catch-up again; after the last one the scheduled job takes over. */
export const CATCH_UP_RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000]

/** Queues catch-ups of followed co-ops. */
export class FollowCatchUp {
  private readonly queued = new Set<string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private tail: Promise<void> = Promise.resolve()
  private stopped = false

  constructor (
    private readonly sync: Pick<SiblingSync, 'syncOne'>,
    private readonly siblings: Pick<SiblingRepository, 'get'>,
    private readonly logger: Logger,
    private readonly retryDelaysMs: number[] = CATCH_UP_RETRY_DELAYS_MS
  ) {}

  /** A follow of `actorId` was accepted: catch up on it soon. Never waits, never throws. */
  followed (actorId: string): void {
    this.enqueue(actorId, 0)
  }

  /** `actorId` was heard from (it sent an update): catch up if its hub had been failing. */
  heardFrom (actorId: string): void {
    if (this.stopped || this.queued.has(actorId)) return
    this.siblings.get(actorId).then(record => {
      if (record && record.failures > 0) this.enqueue(actorId, 0)
    }, err => this.logger.warn({ actorId, err: (err as Error).message }, 'catch-up: could not read the sibling record'))
  }

  /** Resolves once everything queued so far has run (retries waiting on a timer excepted). */
  async idle (): Promise<void> {
    let seen: Promise<void> | undefined
    while (seen !== this.tail) {
      seen = this.tail
      await seen
    }
  }

  /** Cancels waiting retries and waits for the catch-up under way; nothing runs afterwards. */
  async stop (): Promise<void> {
    this.stopped = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await this.idle()
  }

  private enqueue (actorId: string, attempt: number): void {
    if (this.stopped || this.queued.has(actorId)) return
    this.queued.add(actorId)
    this.tail = this.tail.then(async () => {
      if (this.stopped) return
      // Still marked queued while it runs: what it stores announces the co-op again.
      const result = await this.run(actorId).finally(() => this.queued.delete(actorId))
      if (result?.outcome === 'synced') {
        this.logger.info({ actorId, counts: result.counts }, 'catch-up: fetched what the followed co-op publishes')
      } else this.retryLater(actorId, attempt)
    })
  }

  private async run (actorId: string): Promise<SiblingResult | null> {
    try {
      return await this.sync.syncOne(actorId)
    } catch (err) {
      this.logger.warn({ actorId, err: (err as Error).message }, 'catch-up failed')
      return null
    }
  }

  private retryLater (actorId: string, attempt: number): void {
    const delay = this.retryDelaysMs[attempt]
    if (delay === undefined || this.stopped) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.enqueue(actorId, attempt + 1)
    }, delay)
    timer.unref()
    this.timers.add(timer)
  }
}
