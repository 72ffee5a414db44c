import type { HubStore } from '../../../store/store.port'
import type { Logger } from '../../../log/logger'
import type { PoolService } from '../../../pools/pool.service'
import { isFundingPoolType } from '../../../domain/funding-pool'
import { idOf } from '../../../domain/activity-streams/nodes'
import type { InboxHandler } from './inbox-event'

/**
 * Create or Update of a FundingPool. Kept when one of the hub's co-ops follows the steward, has
 * pledged to the pool, or the hub already holds it; anything else is dropped here.
 */
export function onPoolPublished (pools: PoolService, store: HubStore, logger: Logger): InboxHandler {
  return async ({ actor, activity, object }) => {
    if (!object || !isFundingPoolType(object.type)) return
    const relevant = store.isFollowedByAnyCoop(actor.id) ||
      (await store.pools.getPool(object.id)) !== null ||
      (await store.pools.listPledges({ poolId: object.id })).length > 0
    if (!relevant) {
      logger.info({ actor: actor.id, object: object.id }, 'inbox: pool from an actor no co-op follows; not kept')
      return
    }
    const problem = await pools.receive(actor, object)
    if (problem) logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: FundingPool refused')
  }
}

/** Delete of a federated pool: forget it when its steward deletes it. */
export function onPoolDeleted (pools: PoolService): InboxHandler {
  return async ({ actor, activity }) => {
    const objectId = idOf(activity.object)
    if (objectId) await pools.forget(actor.id, objectId)
  }
}
