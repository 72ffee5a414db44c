import type { AgreementService } from '../../../agreements/agreement.service'
import { isAgreementType } from '../../../domain/member-exchange-agreement'
import { first, hasType } from '../../../domain/activity-streams/nodes'
import type { ApexNode } from '../../../store/store.port'
import type { InboxHandler } from './inbox-event'

/** Offer of a MemberExchangeAgreement: recorded as proposed, or refused with a Reject saying why. */
export function onAgreementOffer (agreements: AgreementService): InboxHandler {
  return async ({ recipient, actor, activity }) => {
    await agreements.receiveOffer(recipient, actor, activity)
  }
}

/** Accept or Reject by a party of the Offer or Update that proposed a version. */
export function onAgreementDecision (agreements: AgreementService, decision: 'accepted' | 'rejected'): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (!object || !(hasType(object, 'Offer') || hasType(object, 'Update'))) return
    if (!isAgreementType(first<ApexNode>(object.object)?.type)) return
    await agreements.receiveDecision(recipient, actor, activity, object, decision)
  }
}

/** Update carrying an amended or terminating version of an agreement. */
export function onAgreementUpdate (agreements: AgreementService): InboxHandler {
  return async ({ recipient, actor, activity, object }) => {
    if (object) await agreements.receiveUpdate(recipient, actor, activity, object)
  }
}
