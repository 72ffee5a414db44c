import type { HubStore } from '../../../store/store.port'
import type { Logger } from '../../../log/logger'
import type { HostedServiceService } from '../../../hosted-services/hosted-service.service'
import { isHostedServiceType } from '../../../domain/hosted-service'
import { idOf } from '../../../domain/activity-streams/nodes'
import type { InboxHandler } from './inbox-event'

/**
 * Create or Update of a HostedService. Listed only when one of the hub's co-ops follows the
 * sender: anything else was acknowledged to the peer and is dropped here.
 */
export function onServicePublished (services: HostedServiceService, store: HubStore, logger: Logger): InboxHandler {
  return async ({ actor, activity, object }) => {
    if (!object || !isHostedServiceType(object.type)) return
    if (!store.isFollowedByAnyCoop(actor.id)) {
      logger.info({ actor: actor.id, object: object.id }, 'inbox: service from an actor no co-op follows; not listed')
      return
    }
    const problem = await services.receive(actor, object)
    if (problem) logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: HostedService refused')
  }
}

/** Delete of a federated service: unlist it when its publisher deletes it. */
export function onServiceDeleted (services: HostedServiceService): InboxHandler {
  return async ({ actor, activity }) => {
    const objectId = idOf(activity.object)
    if (objectId) await services.forget(actor.id, objectId)
  }
}
