import { setImmediate as nextTurn } from 'timers/promises'
import type { Logger } from '../../log/logger'
import type { ApexNode, HubStore } from '../../store/store.port'
import type { AudienceResolution, ResolutionCursor } from '../../store/ports/outbox.port'
import type { Apex } from '../apex-setup'
import { PUBLIC_ADDRESSES, first } from '../../domain/activity-streams/nodes'
import { hostOf } from '../../domain/domain-block'
import { crashPoint } from '../crash-point'
import { afterPendingIo } from '../pending-io'

/** Jobs resolved at once (each may wait on a fetch of an actor it has not cached). */
const BATCH = 8

/** Members of a collection read per page when the hub is not told otherwise (HUB_AUDIENCE_PAGE_SIZE). */
export const DEFAULT_AUDIENCE_PAGE_SIZE = 2_000

/**
 * Targets queued per write. A page of own inboxes (one target per member) is queued in several
 * short transactions with the event loop let go between them: 2,000 deliveries in one write held
 * every other request for 100–400 ms.
 */
const QUEUE_CHUNK = 200

/** A job that keeps failing is given up after this many attempts (about 17 hours of back-off). */
const MAX_ATTEMPTS = 12

/** Every name the public address goes by; it is nobody's inbox. */
const PUBLIC = new Set(PUBLIC_ADDRESSES)

/** Back-off after a failed attempt: 5 s, doubling, at most 4 hours. */
function backoffMs (attempt: number): number {
  return Math.min(5_000 * 2 ** attempt, 4 * 60 * 60 * 1000)
}

/** What the resolver needs besides the store. */
export interface AudienceResolverOptions {
  isBlockedHost: (host: string) => Promise<boolean>
  logger: Logger
  /** Called after deliveries were queued: sends them. */
  onQueued: () => void
  /** Members of a collection read (and queued) per transaction. */
  pageSize?: number
}

/**
 * The second half of the transactional outbox: turns the audience resolution jobs that
 * publishes stored into deliveries. A job is leased (as deliveries are, owned by this process,
 * released when the process dies). Its audience is resolved entry by entry: a followers
 * collection held on this hub page by page, one query per page yielding the page's distinct
 * delivery targets (no actor document parsed, nothing re-saved), each page's deliveries queued
 * with the job's cursor in one transaction and the event loop let go between pages; any other
 * entry (an actor, a collection held elsewhere) through apex, which may fetch it. Blocked domains
 * and actors the sender blocked are left out. A crash resumes at the recorded cursor; the job
 * keeps the targets it queued, so no target is queued twice for one activity.
 */
export class AudienceResolver {
  private running: Promise<void> | null = null
  private again = false
  private stopped = false
  private readonly pageSize: number

  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly options: AudienceResolverOptions
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_AUDIENCE_PAGE_SIZE
  }

  /** Resolves whatever jobs are due (a publish stored one, or the heartbeat looks again). */
  wake (): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.drain()
      .catch(err => this.options.logger.error({ err }, 'outbox: could not read the audience resolutions'))
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
      // Woken by a publish, this would run in the publishing request's task: that request's
      // answer and whatever arrived meanwhile go first.
      await afterPendingIo()
      if (this.stopped) return
      const jobs = await this.store.outbox.claimResolutions(BATCH)
      if (jobs.length === 0) return
      await Promise.all(jobs.map(job => this.resolve(job)))
    }
  }

  private async resolve (job: AudienceResolution): Promise<void> {
    const { logger } = this.options
    try {
      const actor = await this.store.getObject(job.actorId, true)
      let queued = 0
      if (actor === null) {
        logger.warn({ activity: job.activityId, actor: job.actorId }, 'outbox: the sending actor is gone; nothing to deliver')
      } else {
        queued = await this.resolveAudience(job, actor)
      }
      if (queued < 0) return // stopping: the job stays and resumes at its cursor
      await this.store.outbox.finishResolution(job.id, [])
      logger.debug({ activity: job.activityId, queued: Math.max(queued, 0) }, 'outbox: audience resolved')
    } catch (err) {
      const error = (err as Error).message
      if (job.attempt + 1 >= MAX_ATTEMPTS) {
        logger.error({ activity: job.activityId, error }, 'outbox: gave up resolving the audience of an activity')
        await this.store.outbox.finishResolution(job.id, [])
        return
      }
      logger.warn({ activity: job.activityId, attempt: job.attempt + 1, error }, 'outbox: could not resolve the audience; will retry')
      await this.store.outbox.retryResolution(job.id, new Date(Date.now() + backoffMs(job.attempt)), error)
    }
  }

  /**
   * Queues the deliveries of every audience entry from the job's cursor on; answers how many
   * were queued, or -1 when the hub is stopping (the job stays, leased, and resumes at its cursor).
   */
  private async resolveAudience (job: AudienceResolution, actor: ApexNode): Promise<number> {
    const sender = { inbox: first<string>(actor.inbox), blocked: await this.blockedBy(actor) }
    const allowed = this.addressFilter(sender.inbox)
    let queued = 0
    for (let position = job.cursor.position; position < job.audience.length; position++) {
      const entry = job.audience[position]
      if (PUBLIC.has(entry)) continue
      if (await this.isFollowersHeldHere(entry, actor)) {
        let after = position === job.cursor.position ? job.cursor.seq : 0
        for (;;) {
          if (this.stopped) return -1
          const page = await this.store.outbox.audiencePage(entry, after, this.pageSize, sender.blocked)
          if (page.lastSeq === null) break
          queued += await this.queue(job, await allowed(page.targets), { position, seq: after }, { position, seq: page.lastSeq })
          crashPoint('outbox-page-queued')
          after = page.lastSeq
          // Other requests (inbox POSTs, API calls, the deliveries just queued) run between pages.
          await nextTurn()
        }
      } else {
        const found = await this.apex.address({ id: job.activityId, type: 'Activity' }, actor, [entry])
        queued += await this.queue(job, await allowed(found), { position, seq: 0 }, { position: position + 1, seq: 0 })
      }
    }
    return queued
  }

  /**
   * Queues one page, `QUEUE_CHUNK` targets a transaction, and records the cursor `to` with the
   * last; the writes before it keep the cursor `from` (the page itself), so a crash between them
   * reads the page again and the job's record of queued targets skips what was already queued.
   * Sends what it queued.
   */
  private async queue (job: AudienceResolution, addresses: string[], from: ResolutionCursor, to: ResolutionCursor): Promise<number> {
    let queued = 0
    let start = 0
    for (; start + QUEUE_CHUNK < addresses.length; start += QUEUE_CHUNK) {
      queued += await this.queueChunk(job, addresses.slice(start, start + QUEUE_CHUNK), from)
      await nextTurn()
    }
    return queued + await this.queueChunk(job, addresses.slice(start), to)
  }

  /** One write: some of a page's targets and the cursor; sends what it queued. */
  private async queueChunk (job: AudienceResolution, addresses: string[], cursor: ResolutionCursor): Promise<number> {
    const queued = await this.store.outbox.queuePage(job.id, addresses, cursor)
    if (queued > 0) this.options.onQueued()
    return queued
  }

  /**
   * Whether `entry` is a followers collection this hub holds: a local actor's, or the sender's own
   * when the sender has been deleted since it published. A deleted actor's Delete is resolved
   * after its Tombstone replaced its document (which names no followers collection any more); its
   * followers' rows are still there and must still get the Delete.
   */
  private async isFollowersHeldHere (entry: string, sender: ApexNode): Promise<boolean> {
    if (await this.store.outbox.isLocalFollowersCollection(entry)) return true
    const deletedHere = first<string>(sender.type) === 'Tombstone' && sender._meta?.privateKey !== undefined
    return deletedHere && entry === `${sender.id}/followers`
  }

  /** The ids of the actors the sender blocked (apex leaves them out of its audiences). */
  private async blockedBy (actor: ApexNode): Promise<string[]> {
    const blocked = await this.apex.getBlocked(actor, Infinity, true)
    return blocked.orderedItems.filter((id): id is string => typeof id === 'string')
  }

  /**
   * Leaves out the sender's own inbox and addresses on blocked domains (each host asked once
   * per job, each refusal logged once).
   */
  private addressFilter (senderInbox: string | undefined): (addresses: string[]) => Promise<string[]> {
    const hosts = new Map<string, boolean>()
    return async addresses => {
      const allowed: string[] = []
      for (const address of addresses) {
        if (address === '' || address === senderInbox) continue
        const host = hostOf(address)
        if (host === null) continue
        let blocked = hosts.get(host)
        if (blocked === undefined) {
          blocked = await this.options.isBlockedHost(host)
          hosts.set(host, blocked)
          if (blocked) this.options.logger.info({ host }, 'delivery: not queued, the domain is blocked')
        }
        if (!blocked) allowed.push(address)
      }
      return allowed
    }
  }
}
