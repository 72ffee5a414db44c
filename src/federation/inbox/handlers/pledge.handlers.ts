import type { Logger } from '../../../log/logger'
import type { PledgeService } from '../../../pools/pledge.service'
import { isPledgeType } from '../../../domain/pledge'
import { first, hasType } from '../../../domain/activity-streams/nodes'
import type { ApexNode } from '../../../store/store.port'
import type { InboxHandler } from './inbox-event'

/** Offer of a Pledge to a local steward: checked and answered with Accept or Reject. */
export function onPledgeOffer (pledges: PledgeService): InboxHandler {
  return async ({ recipient, actor, activity }) => {
    await pledges.receiveOffer(recipient, actor, activity)
  }
}

/** Accept or Reject of one of our pledge Offers (or Reject of a withdrawal) by the steward. */
export function onPledgeAnswer (pledges: PledgeService, decision: 'accepted' | 'rejected'): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (!object) return
    if (hasType(object, 'Offer') && isPledgeType(first<ApexNode>(object.object)?.type)) {
      await pledges.receiveAnswer(recipient, actor, activity, object, decision)
    } else if (decision === 'rejected' && hasType(object, 'Undo')) {
      await pledges.receiveUndoRefused(recipient, actor, activity, object)
    }
  }
}

/** Undo of a pledge's Offer: the pledger withdraws it (apex has already removed the Offer from its streams). */
export function onPledgeUndo (pledges: PledgeService): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    await pledges.receiveUndo(recipient, actor, activity, object)
  }
}

/** Update of a finalized Pledge by its steward (fulfilled, cancelled, lapsed). */
export function onPledgeUpdate (pledges: PledgeService, logger: Logger): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (!object || !isPledgeType(object.type)) return
    const problem = await pledges.receivePledgeUpdate(recipient, actor, object)
    if (problem) logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: Pledge update refused')
  }
}
