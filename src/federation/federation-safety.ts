import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import { blockCandidates } from '../domain/domain-block'
import { hostOf } from '../domain/domain-block'
import type { Apex } from './apex-setup'
import { idOf } from '../domain/activity-streams/nodes'
import type { DeliveryWorker } from './delivery/delivery-worker'

/** A check the outbound client and the delivery queue ask before any request: is this host blocked? */
export function blockedHostCheck (store: HubStore): (host: string) => Promise<boolean> {
  return async host => (await store.domainBlocks.findAny(blockCandidates(host))) !== null
}

/** The distinct, non-empty addresses whose domain is not blocked (each one left out is logged). */
export async function allowedAddresses (addresses: string | string[], isBlockedHost: (host: string) => Promise<boolean>, logger: Logger): Promise<string[]> {
  const unique = [...new Set(Array.isArray(addresses) ? addresses : [addresses])].filter(a => typeof a === 'string' && a !== '')
  const allowed: string[] = []
  for (const address of unique) {
    const host = hostOf(address)
    if (host !== null && await isBlockedHost(host)) {
      logger.info({ to: address }, 'delivery: not queued, the domain is blocked')
      continue
    }
    allowed.push(address)
  }
  return allowed
}

/**
 * Replaces apex's `queueForDelivery`: one delivery per distinct address (apex already prefers a
 * host's shared inbox), none to blocked domains, and the activity's object as the ordering key
 * so Create, Update and Delete of one object reach each inbox in that order. (The hub's own
 * publishes go through the transactional outbox instead; this serves any other apex path.)
 */
export function orderedQueueForDelivery (apex: Apex, store: HubStore, delivery: DeliveryWorker, isBlockedHost: (host: string) => Promise<boolean>, logger: Logger): Apex['queueForDelivery'] {
  return async (actor, activity, addresses) => {
    const allowed = await allowedAddresses(addresses, isBlockedHost, logger)
    if (allowed.length === 0) return
    const orderingKey = idOf(activity.object) ?? null
    await store.deliveryControl.enqueue(actor.id, apex.stringifyPublicJSONLD(activity), allowed, orderingKey)
    delivery.wake()
  }
}
