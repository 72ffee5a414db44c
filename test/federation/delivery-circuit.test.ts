import pino from 'pino'
import { CircuitBreaker, CIRCUIT_THRESHOLD } from '../../src/federation/delivery/circuit-breaker'
import { DeliveryWorker } from '../../src/federation/delivery/delivery-worker'
import type { OutboundClient } from '../../src/federation/http/outbound-client'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { eventually } from '../helpers/hub-process'

/**
 * The delivery worker with a host that is down (every request is a network error), on a real
 * SQLite store: after the threshold the host's circuit opens and the remaining deliveries wait
 * without being tried or losing an attempt; another host is served meanwhile.
 */
describe('delivery worker circuit breaker', () => {
  it('stops trying a host that keeps failing and postpones its deliveries without spending attempts', async () => {
    const store = new SqliteStore(':memory:')
    const tried: string[] = []
    const client = {
      postActivity: async (inbox: string) => {
        tried.push(inbox)
        if (inbox.startsWith('https://down.example')) throw new Error('connect ECONNREFUSED')
        return { status: 202, retryAfterMs: null, bodyText: '' }
      }
    } as unknown as OutboundClient
    const breaker = new CircuitBreaker()
    const worker = new DeliveryWorker(store, client, async () => ({ keyId: 'https://hub.test/u/a#main-key', privateKeyPem: 'unused by the stub' }), pino({ level: 'silent' }), { concurrency: 1, breaker })
    try {
      const down = Array.from({ length: CIRCUIT_THRESHOLD + 3 }, (_, i) => `https://down.example/users/${i}/inbox`)
      await store.deliveryControl.enqueue('https://hub.test/u/a', '{}', down, null)
      await store.deliveryControl.enqueue('https://hub.test/u/a', '{}', ['https://up.example/inbox'], null)
      worker.wake()
      await eventually(async () => {
        const hosts = await store.deliveryControl.hostSummary()
        const d = hosts.find(h => h.host === 'down.example')
        return d?.retrying === CIRCUIT_THRESHOLD && !hosts.some(h => h.host === 'up.example') ? hosts : undefined
      }, 'the down host to be tried up to the threshold and the other host served')
      await worker.stop()
      expect(tried.filter(t => t.startsWith('https://down.example'))).toHaveLength(CIRCUIT_THRESHOLD)
      expect(tried).toContain('https://up.example/inbox')
      expect(breaker.states()).toEqual([expect.objectContaining({ host: 'down.example', state: 'open' })])
      // The three not tried are still queued, none failed for good.
      expect(await store.deliveryQueueSize()).toBe(CIRCUIT_THRESHOLD + 3)
      expect(await store.listDeliveryFailures(10)).toEqual([])
    } finally {
      await worker.stop()
      store.close()
    }
  })
})
