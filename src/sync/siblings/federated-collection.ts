/**
 * A collection a followed co-op publishes on its actor (`services`, later `fundingPools`) and
 * what this hub holds of it, so sibling sync can catch up on deliveries it missed.
 */
import type { ApexNode, HubStore } from '../../store/store.port'

/** One kind of federated object a sibling sync catches up on. */
export interface FederatedCollection {
  /** The actor property naming the collection, as apex compacts it (e.g. `services`). */
  property: string
  /** What the objects are, for counts and logs. */
  label: string
  /** The objects of this kind this hub holds from the actor: id → stored JSON. */
  held(actorId: string): Promise<Map<string, Record<string, unknown>>>
  /** Checks and stores an object as if it had arrived in an Update; answers why it was refused. */
  receive(actor: ApexNode, object: ApexNode): Promise<string | null>
  /** Drops an object the actor no longer lists; false when it was not held. */
  forget(actorId: string, objectId: string): Promise<boolean>
}

/** What a HostedServiceService offers sibling sync. */
export interface ServiceReceiver {
  receive(actor: ApexNode, object: ApexNode): Promise<string | null>
  forget(actorId: string, objectId: string): Promise<boolean> | boolean
}

/** Hosted services: the `services` collection on every co-op actor. */
export function servicesCollection (store: HubStore, services: ServiceReceiver): FederatedCollection {
  return {
    property: 'services',
    label: 'services',
    async held (actorId) {
      return new Map((await store.listServices({ actorId, local: false })).map(s => [s.id, s.object]))
    },
    receive: (actor, object) => services.receive(actor, object),
    forget: async (actorId, objectId) => await services.forget(actorId, objectId)
  }
}

/** What a PoolService offers sibling sync. */
export interface PoolReceiver {
  receive(actor: ApexNode, object: ApexNode): Promise<string | null>
  forget(actorId: string, objectId: string): Promise<boolean>
}

/** Funding pools: the `fundingPools` collection, on actors that publish one. */
export function poolsCollection (store: HubStore, pools: PoolReceiver): FederatedCollection {
  return {
    property: 'fundingPools',
    label: 'pools',
    async held (actorId) {
      return new Map((await store.pools.listPools({ stewardId: actorId, local: false })).map(p => [p.id, p.object as unknown as Record<string, unknown>]))
    },
    receive: (actor, object) => pools.receive(actor, object),
    forget: (actorId, objectId) => pools.forget(actorId, objectId)
  }
}
