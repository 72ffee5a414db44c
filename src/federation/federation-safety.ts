import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import { OutboxBypassError } from '../errors/outbox-bypass-error'
import { blockCandidates } from '../domain/domain-block'
import { hostOf } from '../domain/domain-block'
import type { Apex } from './apex-setup'

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
 * Replaces apex's `queueForDelivery` so that apex never queues by itself: its publishes
 * (`addToOutbox`, `publishActivity`) are routed into the transactional outbox, whose worker
 * queues the deliveries. Reaching this is a wiring mistake, so it throws rather than sending.
 */
export function refuseDirectQueueing (): Apex['queueForDelivery'] {
  return async (_actor, activity) => { throw new OutboxBypassError(activity.id) }
}
