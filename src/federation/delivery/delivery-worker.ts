import type { Logger } from '../../log/logger'
import type { Delivery, HubStore } from '../../store/store.port'
import type { OutboundClient, SigningKey } from '../http/outbound-client'
import { hostOf } from '../../domain/domain-block'
import { CircuitBreaker, countsAsHostFailure } from './circuit-breaker'
import { decideRetry } from './retry-policy'

export interface DeliveryWorkerOptions {
  /** Deliveries in flight at once. */
  concurrency?: number
  /** Per-host circuit breaker; a fresh one when not given. */
  breaker?: CircuitBreaker
  /** Hosts the admin blocked: their deliveries end without being sent. */
  isBlockedHost?: (host: string) => Promise<boolean>
  /** Called after an inbox answered 404 or 410 (the delivery has ended): prune its followers. */
  onGone?: (delivery: Delivery) => Promise<void>
  /** A delivery postponed by an open circuit for longer than this ends as a failure. */
  maxQueuedAgeMs?: number
  /** Turns published activities into deliveries (the transactional outbox); woken and stopped with the worker. */
  audiences?: { wake: () => void, idle: () => Promise<void>, stop: () => Promise<void> }
}

/** Deliveries in flight at once unless told otherwise. */
export const DEFAULT_DELIVERY_CONCURRENCY = 8

/**
 * A delivery claimed in a batch but not yet started is dropped from memory after this long (its
 * lease, 60 s by default, then hands it out again) rather than sent late, when another process
 * may already be taking it.
 */
const MAX_HELD_MS = 20_000

/** Two days: more than the retry policy's ~31 hours, so only a host down that long loses deliveries. */
export const MAX_QUEUED_AGE_MS = 48 * 60 * 60 * 1000

/**
 * Sends queued deliveries. A delivery is claimed (leased) from the store, POSTed, and removed
 * only after the peer answered 2xx; a crash in between leaves it in the queue, to be sent again
 * when the lease runs out (at least once, never lost). Failures are retried per the retry policy.
 */
export class DeliveryWorker {
  private readonly concurrency: number
  /** The per-host circuits (the admin API shows their state). */
  readonly breaker: CircuitBreaker
  private inFlight = 0
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private pumping = false
  private pumpAgain = false
  private readonly idleWaiters: Array<() => void> = []
  /** Claimed in the last batch and not started yet; `heldSince` is when that batch was claimed. */
  private held: Delivery[] = []
  private heldSince = 0
  /** 2xx answers whose rows are removed together at the end of this turn of the event loop. */
  private completing: { ids: number[], done: Promise<void> } | null = null
  /** Removals of delivered rows not yet written: `idle()` and `stop()` wait for them too. */
  private readonly removals = new Set<Promise<void>>()

  constructor (
    private readonly store: HubStore,
    private readonly client: OutboundClient,
    private readonly keyFor: (actorId: string) => Promise<SigningKey | null>,
    private readonly logger: Logger,
    private readonly options: DeliveryWorkerOptions = {}
  ) {
    this.concurrency = options.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY
    this.breaker = options.breaker ?? new CircuitBreaker()
  }

  /** Resolves the audiences of published activities and sends whatever is due. */
  wake (): void {
    this.options.audiences?.wake()
    this.wakeQueue()
  }

  /** Starts sending whatever is due; call after enqueueing. */
  wakeQueue (): void {
    if (this.stopped) return
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pump().catch(err => this.logger.error({ err }, 'delivery: could not read the queue'))
  }

  /**
   * Listens for deliveries and publishes other processes queue, where the store can tell
   * (PostgreSQL): they are sent at once rather than at the next poll. Answers whether it listens
   * (then the poll can be slower).
   */
  async listenForWakeups (): Promise<boolean> {
    const wakeups = this.store.wakeups
    if (!wakeups.acrossProcesses) return false
    await wakeups.listen('deliveries', () => this.wakeQueue())
    await wakeups.listen('outbox', () => this.options.audiences?.wake())
    return true
  }

  /** Resolves when no audience is being resolved and no delivery is in flight (a test waits for quiet before comparing the store). */
  async idle (): Promise<void> {
    await this.options.audiences?.idle()
    if (this.inFlight > 0) await new Promise<void>(resolve => this.idleWaiters.push(resolve))
    await this.removalsWritten()
  }

  /** Stops claiming new deliveries, hands back those claimed but not started, and waits for those in flight. */
  async stop (): Promise<void> {
    await this.options.audiences?.stop()
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    const unsent = this.held.splice(0).map(d => d.id)
    if (unsent.length > 0) {
      try {
        await this.store.deliveryRelease(unsent)
      } catch (err) {
        // Their leases run out on their own: nothing is lost, only delayed.
        this.logger.warn({ err, count: unsent.length }, 'delivery: could not hand back claimed deliveries')
      }
    }
    if (this.inFlight > 0) await new Promise<void>(resolve => this.idleWaiters.push(resolve))
    await this.removalsWritten()
  }

  private async removalsWritten (): Promise<void> {
    while (this.removals.size > 0) await Promise.all(this.removals)
  }

  /**
   * Starts due deliveries until the concurrency is used up or nothing is due. They are claimed
   * a batch at a time (one write to the store for several deliveries).
   */
  private async pump (): Promise<void> {
    this.pumping = true
    try {
      do {
        this.pumpAgain = false
        while (!this.stopped && this.inFlight < this.concurrency) {
          const next = this.nextHeld() ?? await this.claimBatch()
          if (next === null) break
          this.start(next)
        }
      } while (this.pumpAgain && !this.stopped)
    } finally {
      this.pumping = false
    }
  }

  /** The oldest held delivery, or null; a batch held too long is dropped (its leases hand it out again). */
  private nextHeld (): Delivery | null {
    if (Date.now() - this.heldSince >= MAX_HELD_MS) this.held = []
    return this.held.shift() ?? null
  }

  /** Claims a batch; answers its first delivery (holding the rest), or null after scheduling the next look. */
  private async claimBatch (): Promise<Delivery | null> {
    const claim = await this.store.deliveryClaim(this.concurrency)
    if (this.stopped) {
      // stop() ran while the claim was on its way: hand the batch back as stop() does.
      if (claim.deliveries.length > 0) await this.store.deliveryRelease(claim.deliveries.map(d => d.id))
      return null
    }
    if (claim.deliveries.length === 0) {
      if (claim.waitUntil !== null) this.scheduleAt(claim.waitUntil)
      return null
    }
    this.heldSince = Date.now()
    this.held = claim.deliveries.slice(1)
    return claim.deliveries[0]
  }

  /** Removes a delivered row, together with the others delivered in this turn of the event loop. */
  private async complete (id: number): Promise<void> {
    if (this.completing === null) {
      const ids: number[] = []
      const done = new Promise<void>((resolve, reject) => setImmediate(() => {
        this.completing = null
        this.store.deliveryComplete(ids).then(resolve, reject)
      }))
      this.completing = { ids, done }
    }
    this.completing.ids.push(id)
    await this.completing.done
  }

  private start (delivery: Delivery): void {
    this.inFlight++
    this.send(delivery)
      .catch(err => this.logger.error({ err }, 'delivery: unexpected error'))
      .finally(() => {
        this.inFlight--
        if (this.inFlight === 0) this.idleWaiters.splice(0).forEach(resolve => resolve())
        this.wakeQueue()
      })
  }

  private scheduleAt (when: Date): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    const delay = Math.max(20, Math.min(when.getTime() - Date.now(), 2 ** 31 - 1))
    this.timer = setTimeout(() => { this.timer = null; this.wakeQueue() }, delay)
    this.timer.unref()
  }

  private async send (delivery: Delivery): Promise<void> {
    const host = hostOf(delivery.address) ?? ''
    if (this.options.isBlockedHost && await this.options.isBlockedHost(host)) {
      await this.store.deliveryFail(delivery.id, `the domain of ${host} is blocked on this hub`)
      return
    }
    const circuit = this.breaker.check(host)
    if (!circuit.allowed) {
      const outcome = await this.store.deliveryControl.postpone(delivery.id, circuit.until, this.options.maxQueuedAgeMs ?? MAX_QUEUED_AGE_MS)
      this.logger.debug({ to: delivery.address, until: circuit.until, outcome }, 'delivery: host circuit open, postponed')
      return
    }
    const key = await this.keyFor(delivery.actorId)
    if (!key) {
      await this.store.deliveryFail(delivery.id, `the sending actor ${delivery.actorId} has no key on this hub`)
      return
    }
    let status: number | null = null
    let retryAfterMs: number | null = null
    let error = ''
    try {
      const result = await this.client.postActivity(delivery.address, delivery.body, key)
      status = result.status
      retryAfterMs = result.retryAfterMs
      error = `${result.status} ${result.bodyText}`.trim()
    } catch (err) {
      error = (err as Error).message
    }
    if (countsAsHostFailure(status)) this.breaker.failed(host)
    else this.breaker.succeeded(host)
    if (status !== null && status >= 200 && status < 300) {
      // The slot is free as soon as the peer answered: the next delivery starts while this row's
      // removal waits for the others of this turn. Until it is written the row stays leased, so
      // no claim hands it out again; a crash before then sends it again (at least once).
      const removal = this.complete(delivery.id)
        .catch(err => this.logger.error({ err, to: delivery.address }, 'delivery: sent, but could not remove it from the queue'))
        .finally(() => {
          this.removals.delete(removal)
          // A later delivery of the same object to this inbox waited for this row to go.
          this.wakeQueue()
        })
      this.removals.add(removal)
      this.logger.debug({ to: delivery.address, status }, 'delivery: sent')
      return
    }
    const decision = decideRetry(delivery.attempt, status, retryAfterMs)
    if (decision.retry) {
      await this.store.deliveryReschedule(delivery.id, new Date(Date.now() + decision.waitMs), error)
      this.logger.info({ to: delivery.address, attempt: delivery.attempt + 1, waitMs: decision.waitMs, error }, 'delivery: will retry')
    } else {
      await this.store.deliveryFail(delivery.id, `${decision.reason}: ${error}`)
      this.logger.warn({ to: delivery.address, reason: decision.reason }, 'delivery: gave up')
      if (decision.gone && this.options.onGone) {
        await this.options.onGone(delivery).catch(err => this.logger.error({ err, to: delivery.address }, 'delivery: could not prune the followers of a gone inbox'))
      }
    }
  }
}
