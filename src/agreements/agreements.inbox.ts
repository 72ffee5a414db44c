import { HUB_OBJECT_TYPES } from '../domain/activity-streams/object-types'
import type { Decision } from '../domain/member-exchange-agreement'
import type { InboxHandler, InboxRegistry } from '../federation/inbox/inbox-registry'
import type { AgreementInboundService } from './agreement-inbound.service'

const AGREEMENT = HUB_OBJECT_TYPES.agreement

/**
 * Member-exchange agreements from the other parties: an Offer of a new agreement, a party's
 * Accept or Reject of the Offer or Update that proposed a version, and an Update carrying an
 * amended, terminating or expired version.
 */
export function registerAgreementsInbox (registry: InboxRegistry, agreements: AgreementInboundService): void {
  registry
    .on('Offer', AGREEMENT, async ({ recipient, actor, activity }) => { await agreements.receiveOffer(recipient, actor, activity) })
    .on('Update', AGREEMENT, async ({ recipient, actor, activity, object }) => {
      if (object) await agreements.receiveUpdate(recipient, actor, activity, object)
    })
  for (const proposal of ['Offer', 'Update']) {
    registry
      .on('Accept', `${proposal}(${AGREEMENT})`, onDecision(agreements, 'accepted'))
      .on('Reject', `${proposal}(${AGREEMENT})`, onDecision(agreements, 'rejected'))
  }
}

/** Accept or Reject by a party of the Offer or Update that proposed a version. */
function onDecision (agreements: AgreementInboundService, decision: Decision): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (object) await agreements.receiveDecision(recipient, actor, activity, object, decision)
  }
}
