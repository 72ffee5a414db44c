import pino from 'pino'
import { DeliveryWorker } from '../../src/federation/delivery/delivery-worker'
import type { OutboundClient, PostResult } from '../../src/federation/http/outbound-client'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { eventually } from '../helpers/hub-process'

/**
 * The delivery worker claims deliveries a batch at a time and removes delivered rows together.
 * On a real SQLite store: every delivery is sent once and leaves the queue; a worker that stops
 * hands back what it claimed but had not started, so another process can send it at once
 * instead of waiting for the lease to run out.
 */
describe('delivery worker batches', () => {
  const ACTOR = 'https://hub.test/u/a'
  const key = async (): Promise<{ keyId: string, privateKeyPem: string }> => ({ keyId: `${ACTOR}#main-key`, privateKeyPem: 'unused by the stub' })

  /** A client whose answers the test releases one by one (the first `immediate` are answered at once). */
  function heldClient (immediate: number): { client: OutboundClient, sent: string[], answerAll: () => void } {
    const sent: string[] = []
    const waiting: Array<() => void> = []
    const client = {
      postActivity: async (inbox: string): Promise<PostResult> => {
        sent.push(inbox)
        if (sent.length > immediate) await new Promise<void>(resolve => waiting.push(resolve))
        return { status: 202, retryAfterMs: null, bodyText: '' }
      }
    } as unknown as OutboundClient
    return { client, sent, answerAll: () => waiting.splice(0).forEach(resolve => resolve()) }
  }

  it('sends every queued delivery once and empties the queue', async () => {
    const store = new SqliteStore(':memory:')
    const { client, sent } = heldClient(Infinity)
    const worker = new DeliveryWorker(store, client, key, pino({ level: 'silent' }), { concurrency: 4 })
    try {
      const inboxes = Array.from({ length: 50 }, (_, i) => `https://peer${i % 7}.example/users/${i}/inbox`)
      await store.deliveryControl.enqueue(ACTOR, '{}', inboxes, null)
      worker.wake()
      await eventually(async () => await store.deliveryQueueSize() === 0 ? true : undefined, 'the queue to drain')
      expect([...sent].sort()).toEqual([...inboxes].sort())
      expect(await store.listDeliveryFailures(10)).toEqual([])
    } finally {
      await worker.stop()
      store.close()
    }
  })

  it('hands back claimed but unsent deliveries when it stops', async () => {
    const store = new SqliteStore(':memory:')
    const { client, sent, answerAll } = heldClient(1)
    const worker = new DeliveryWorker(store, client, key, pino({ level: 'silent' }), { concurrency: 2 })
    try {
      const inboxes = Array.from({ length: 5 }, (_, i) => `https://peer.example/users/${i}/inbox`)
      await store.deliveryControl.enqueue(ACTOR, '{}', inboxes, null)
      worker.wake()
      // The first answer frees a slot: the next claim takes two, starts one and holds the other.
      await eventually(async () => sent.length === 3 ? true : undefined, 'three deliveries to be sent')
      expect((await store.deliveryClaim(5)).deliveries.map(d => d.address)).toEqual([inboxes[4]])
      const stopped = worker.stop()
      answerAll()
      await stopped
      expect(sent).toEqual(inboxes.slice(0, 3))
      // The held one is due again at once; the one claimed above by "another process" stays leased.
      expect((await store.deliveryClaim(5)).deliveries.map(d => d.address)).toEqual([inboxes[3]])
      expect(await store.deliveryQueueSize()).toBe(2)
    } finally {
      answerAll()
      await worker.stop()
      store.close()
    }
  })
})

/**
 * A delivery's slot is free as soon as the peer answered 2xx: the next delivery does not wait
 * for the row's removal to be written (that wait was on every delivery's path, eight in flight).
 * The row stays leased until then, `idle()` waits for the removal, and a later delivery of the
 * same object to the same inbox starts once the earlier row is gone.
 */
describe('delivery worker slots', () => {
  const ACTOR = 'https://hub.test/u/a'
  const key = async (): Promise<{ keyId: string, privateKeyPem: string }> => ({ keyId: `${ACTOR}#main-key`, privateKeyPem: 'unused by the stub' })

  it('starts the next delivery before the last one is removed from the queue', async () => {
    const store = new SqliteStore(':memory:')
    const events: string[] = []
    const client = {
      postActivity: async (inbox: string): Promise<PostResult> => {
        events.push(`sent ${inbox}`)
        return { status: 202, retryAfterMs: null, bodyText: '' }
      }
    } as unknown as OutboundClient
    const removals: Array<() => void> = []
    const complete = store.deliveryComplete.bind(store)
    jest.spyOn(store, 'deliveryComplete').mockImplementation(async ids => {
      await new Promise<void>(resolve => removals.push(resolve))
      events.push(`removed ${[ids].flat().length}`)
      await complete(ids)
    })
    const worker = new DeliveryWorker(store, client, key, pino({ level: 'silent' }), { concurrency: 1 })
    try {
      await store.deliveryControl.enqueue(ACTOR, '{"n":1}', ['https://one.example/inbox', 'https://two.example/inbox'], null)
      worker.wake()
      await eventually(async () => events.length >= 2 ? true : undefined, 'both deliveries to be sent')
      expect(events).toEqual(['sent https://one.example/inbox', 'sent https://two.example/inbox'])
      // Sent, not removed yet: still in the queue, leased, so no claim hands them out again.
      expect(await store.deliveryQueueSize()).toBe(2)
      expect((await store.deliveryClaim(5)).deliveries).toEqual([])
      let idle = false
      const quiet = worker.idle().then(() => { idle = true })
      await new Promise(resolve => setTimeout(resolve, 20))
      expect(idle).toBe(false)
      while (removals.length > 0 || !idle) {
        removals.splice(0).forEach(resolve => resolve())
        await new Promise(resolve => setTimeout(resolve, 5))
      }
      await quiet
      expect(await store.deliveryQueueSize()).toBe(0)
    } finally {
      removals.splice(0).forEach(resolve => resolve())
      await worker.stop()
      jest.restoreAllMocks()
      store.close()
    }
  })

  it('sends a later delivery of the same object to the same inbox once the earlier row is gone', async () => {
    const store = new SqliteStore(':memory:')
    const sent: string[] = []
    const client = {
      postActivity: async (_inbox: string, body: string): Promise<PostResult> => {
        sent.push(body)
        return { status: 202, retryAfterMs: null, bodyText: '' }
      }
    } as unknown as OutboundClient
    const worker = new DeliveryWorker(store, client, key, pino({ level: 'silent' }), { concurrency: 4 })
    try {
      await store.deliveryControl.enqueue(ACTOR, '{"v":1}', ['https://one.example/inbox'], 'https://hub.test/s/files')
      await store.deliveryControl.enqueue(ACTOR, '{"v":2}', ['https://one.example/inbox'], 'https://hub.test/s/files')
      worker.wake()
      await eventually(async () => await store.deliveryQueueSize() === 0 ? true : undefined, 'the queue to drain')
      expect(sent).toEqual(['{"v":1}', '{"v":2}'])
    } finally {
      await worker.stop()
      store.close()
    }
  })
})
