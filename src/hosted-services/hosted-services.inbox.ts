import { idOf } from '../domain/activity-streams/nodes'
import { HUB_OBJECT_TYPES } from '../domain/activity-streams/object-types'
import type { InboxHandler, InboxRegistry } from '../federation/inbox/inbox-registry'
import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import type { HostedServiceService } from './hosted-service.service'

/** Hosted services other hubs publish: Create and Update list them, Delete unlists them. */
export function registerHostedServicesInbox (registry: InboxRegistry, services: HostedServiceService, store: HubStore, logger: Logger): void {
  const type = HUB_OBJECT_TYPES.hostedService
  registry
    .on('Create', type, onServicePublished(services, store, logger))
    .on('Update', type, onServicePublished(services, store, logger))
    .on('Delete', type, onServiceDeleted(services))
}

/**
 * Create or Update of a HostedService. Listed only when one of the hub's co-ops follows the
 * sender: anything else was acknowledged to the peer and is dropped here.
 */
function onServicePublished (services: HostedServiceService, store: HubStore, logger: Logger): InboxHandler {
  return async ({ actor, activity, object }) => {
    if (!object) return
    if (!await store.isFollowedByAnyCoop(actor.id)) {
      logger.info({ actor: actor.id, object: object.id }, 'inbox: service from an actor no co-op follows; not listed')
      return
    }
    const problem = await services.receive(actor, object)
    if (problem) logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: HostedService refused')
  }
}

/** Delete of a federated service: unlist it when its publisher deletes it. */
function onServiceDeleted (services: HostedServiceService): InboxHandler {
  return async ({ actor, activity }) => {
    const objectId = idOf(activity.object)
    if (objectId) await services.forget(actor.id, objectId)
  }
}
