import { idOf } from '../domain/activity-streams/nodes'
import { HUB_OBJECT_TYPES } from '../domain/activity-streams/object-types'
import { ANY_OBJECT, type InboxHandler, type InboxRegistry } from '../federation/inbox/inbox-registry'
import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import type { PledgeInboundService } from './pledge-inbound.service'
import type { PoolService } from './pool.service'

const POOL = HUB_OBJECT_TYPES.fundingPool
const PLEDGE = HUB_OBJECT_TYPES.pledge
const PLEDGE_OFFER = `Offer(${PLEDGE})`

/**
 * Funding pools other hubs publish (Create, Update, Delete), and pledges both ways: an Offer of
 * a Pledge to a local steward, its withdrawal (Undo), the steward's answer to our Offers (Accept,
 * Reject), its refusal of a withdrawal (Reject of the Undo) and its Updates of a finalized Pledge.
 */
export function registerPoolsInbox (registry: InboxRegistry, pools: PoolService, pledges: PledgeInboundService, store: HubStore, logger: Logger): void {
  registry
    .on('Create', POOL, onPoolPublished(pools, store, logger))
    .on('Update', POOL, onPoolPublished(pools, store, logger))
    .on('Delete', POOL, onPoolDeleted(pools))
    .on('Offer', PLEDGE, async ({ recipient, actor, activity }) => { await pledges.receiveOffer(recipient, actor, activity) })
    .on('Accept', PLEDGE_OFFER, onPledgeAnswer(pledges, 'accepted'))
    .on('Reject', PLEDGE_OFFER, onPledgeAnswer(pledges, 'rejected'))
    // Our Undo names the Offer by its id only: any Reject of an Undo is a steward refusing a withdrawal.
    .on('Reject', 'Undo', async ({ recipient, actor, activity, object }) => {
      if (object) await pledges.receiveUndoRefused(recipient, actor, activity, object)
    })
    .on('Undo', PLEDGE_OFFER, onPledgeUndo(pledges))
    // An Undo whose Offer the hub no longer resolves is looked up by the Offer's id among the pledges.
    .on('Undo', ANY_OBJECT, onPledgeUndo(pledges))
    .on('Update', PLEDGE, onPledgeUpdate(pledges, logger))
}

/**
 * Create or Update of a FundingPool. Kept when one of the hub's co-ops follows the steward, has
 * pledged to the pool, or the hub already holds it; anything else is dropped here.
 */
function onPoolPublished (pools: PoolService, store: HubStore, logger: Logger): InboxHandler {
  return async ({ actor, activity, object }) => {
    if (!object) return
    const relevant = await store.isFollowedByAnyCoop(actor.id) ||
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
function onPoolDeleted (pools: PoolService): InboxHandler {
  return async ({ actor, activity }) => {
    const objectId = idOf(activity.object)
    if (objectId) await pools.forget(actor.id, objectId)
  }
}

/** Accept or Reject of one of our pledge Offers by the steward. */
function onPledgeAnswer (pledges: PledgeInboundService, decision: 'accepted' | 'rejected'): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (object) await pledges.receiveAnswer(recipient, actor, activity, object, decision)
  }
}

/** Undo of a pledge's Offer: the pledger withdraws it (apex has already removed the Offer from its streams). */
function onPledgeUndo (pledges: PledgeInboundService): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    await pledges.receiveUndo(recipient, actor, activity, object)
  }
}

/** Update of a finalized Pledge by its steward (fulfilled, cancelled, lapsed). */
function onPledgeUpdate (pledges: PledgeInboundService, logger: Logger): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (!object) return
    const problem = await pledges.receivePledgeUpdate(recipient, actor, object)
    if (problem) logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: Pledge update refused')
  }
}
