import { ConflictError } from '../errors/app-errors'
import { first } from '../domain/activity-streams/nodes'
import { applyPledgeEvent, buildFinalizedPledge, PledgeEvent, PledgeRecord, PledgeTransitionError } from '../domain/pledge'
import type { Apex } from '../federation/apex-setup'
import type { PreparedPublish, Publisher } from '../federation/publisher'
import type { ApexNode, HubStore } from '../store/store.port'
import type { PoolService } from './pool.service'

/**
 * What a local steward's decisions write, whether they come from the API (the steward decides)
 * or the inbox (an automatic pool accepts, a pledger withdraws): the pledge, the pool's totals,
 * and the finalized Pledge federated to the pledger, all stored in one transaction with the
 * activities announcing them (a crash leaves all of it or none).
 */
export class PledgeSteward {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly pools: PoolService,
    private readonly publisher: Publisher
  ) {}

  /** The steward accepts a pledge: stored with the pool's totals, answered with an Accept carrying the finalized Pledge. */
  async accept (record: PledgeRecord, steward: ApexNode): Promise<PledgeRecord> {
    const pledgeId = record.pledgeId ?? this.apex.utils.objectIdToIRI()
    const next = { ...pledgeTransition(record, { kind: 'accept', pledgeId }), stewardProcessed: true }
    const doc = buildFinalizedPledge({ ...next, pledgeId }, { followers: first<string>(steward.followers) ?? null })
    const answer = await this.publisher.prepare(steward, 'Accept', { object: next.offerId, result: doc }, [next.pledgerId], { documents: [doc as unknown as Record<string, unknown>] })
    await this.pools.recordPledge(next, [answer])
    return next
  }

  /** Stores a steward-side change, recomputes and federates the pool, and publishes the Pledge; `more` is stored with them. */
  async apply (next: PledgeRecord, more: PreparedPublish[] = []): Promise<void> {
    const steward = next.pledgeId ? await this.store.getObject(next.stewardId, true) : null
    if (!steward || !next.pledgeId) {
      await this.pools.recordPledge(next, more)
      return
    }
    const doc = buildFinalizedPledge({ ...next, pledgeId: next.pledgeId }, { followers: first<string>(steward.followers) ?? null })
    const update = await this.publisher.prepare(steward, 'Update', { object: doc }, [next.pledgerId], { documents: [doc as unknown as Record<string, unknown>] })
    await this.pools.recordPledge(next, [update, ...more])
  }
}

/** A pledge after `event` now; a transition the pledge's state forbids is a `ConflictError`. */
export function pledgeTransition (record: PledgeRecord, event: PledgeEvent): PledgeRecord {
  try {
    return applyPledgeEvent(record, event, new Date().toISOString())
  } catch (err) {
    if (err instanceof PledgeTransitionError) throw new ConflictError(`This cannot be done: ${err.message}`)
    throw err
  }
}
