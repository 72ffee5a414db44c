/**
 * Copies of other hubs' pools kept current when they are viewed: a copy older than the pool's
 * last change this hub has heard of is fetched again from its origin (signed, its id checked
 * against the server that served it, then checked as a received pool is). A slow or failing
 * origin never holds up the answer: after a short time limit the stored copy is served, and
 * its `refreshedAt` says when it is from.
 */
import { idOf } from '../domain/activity-streams/nodes'
import { isStaleCopy, PoolRecord } from '../domain/funding-pool'
import type { Logger } from '../log/logger'
import type { ApexNode, HubStore } from '../store/store.port'
import type { PoolService } from './pool.service'

/** How long a view waits for a pool's origin before it serves the stored copy. */
export const POOL_REFRESH_TIMEOUT_MS = 2_000

/** Refreshes stale pool copies within a time limit. */
export class PoolCopyRefresher {
  /** Fetches in progress, by pool id: views arriving together share one fetch. */
  private readonly inFlight = new Map<string, Promise<void>>()

  constructor (
    private readonly fetchNode: (id: string) => Promise<ApexNode>,
    private readonly pools: PoolService,
    private readonly store: HubStore,
    private readonly logger: Logger,
    private readonly timeoutMs = POOL_REFRESH_TIMEOUT_MS
  ) {}

  /** The record as it should be shown: fetched again when it is a stale copy, else (or on failure) as stored. */
  async fresh (record: PoolRecord): Promise<PoolRecord> {
    if (!isStaleCopy(record)) return record
    let timer: NodeJS.Timeout | undefined
    const limit = new Promise<'late'>(resolve => { timer = setTimeout(() => resolve('late'), this.timeoutMs) })
    try {
      const outcome = await Promise.race([this.refetch(record), limit])
      if (outcome === 'late') {
        this.logger.info({ pool: record.id, timeoutMs: this.timeoutMs }, 'pool copy: origin too slow; serving the stored copy')
        return record
      }
      return (await this.store.pools.getPool(record.id)) ?? record
    } finally {
      clearTimeout(timer)
    }
  }

  /** `fresh` for each record, side by side, in the same order. */
  async freshAll (records: PoolRecord[]): Promise<PoolRecord[]> {
    return await Promise.all(records.map(r => this.fresh(r)))
  }

  /** One fetch per pool at a time; it never rejects (a failure is logged and the copy stays). */
  private async refetch (record: PoolRecord): Promise<'done'> {
    let running = this.inFlight.get(record.id)
    if (!running) {
      running = this.fetchAndKeep(record).finally(() => this.inFlight.delete(record.id))
      this.inFlight.set(record.id, running)
    }
    await running
    return 'done'
  }

  private async fetchAndKeep (record: PoolRecord): Promise<void> {
    try {
      const node = await this.fetchNode(record.id)
      const steward = idOf(node.attributedTo)
      const problem = node.id !== record.id
        ? `the origin answered with ${node.id}`
        : steward !== record.stewardId
          ? `it names ${steward ?? 'no one'} as its steward, not ${record.stewardId}`
          : await this.pools.receive({ id: record.stewardId, type: 'Organization' }, node)
      if (problem) this.logger.warn({ pool: record.id, problem }, 'pool copy: refetched pool refused; keeping the stored copy')
    } catch (err) {
      this.logger.warn({ pool: record.id, err: (err as Error).message }, 'pool copy: origin unreachable; keeping the stored copy')
    }
  }
}
