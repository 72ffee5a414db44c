/** Contract for the delivery queue: apex's enqueue/dequeue/requeue plus the hub's crash-safe completion. */
import type { HubStore } from '../../src/store/store.port'
import { claimed, waiting, type StoreRef } from './store.fixtures'

const ACTOR = 'https://hub.test/u/alpha'
const BODY = '{"type":"Create"}'
const HOUR = 3_600_000

/** Registers the delivery-queue part of the contract (uses the real clock, so only past/far-future times). */
export function describeDeliveryQueueContract (store: StoreRef): void {
  describe('delivery queue', () => {
    it('queues one delivery per address and never stores the signing key', async () => {
      const before = Date.now()
      expect(await store().deliveryEnqueue(ACTOR, BODY, ['https://a.test/inbox', 'https://b.test/inbox'], 'SIGNING-KEY')).toBe(true)
      expect(await store().deliveryEnqueue(ACTOR, BODY, 'https://c.test/inbox', 'SIGNING-KEY')).toBe(true)
      expect(await store().deliveryQueueSize()).toBe(3)

      const first = claimed(await store().deliveryDequeue())
      expect(first).toMatchObject({ actorId: ACTOR, address: 'https://a.test/inbox', body: BODY, attempt: 0 })
      expect(typeof first.id).toBe('number')
      expect(first.after).toBeInstanceOf(Date)
      expect(first.after.getTime()).toBeGreaterThanOrEqual(before - 1000)
      expect(first.after.getTime()).toBeLessThanOrEqual(Date.now())
      expect(first.signingKey).toBeUndefined()
    })

    it('queues nothing for an empty address list', async () => {
      expect(await store().deliveryEnqueue(ACTOR, BODY, [], 'k')).toBeFalsy()
      expect(await store().deliveryQueueSize()).toBe(0)
      expect(await store().deliveryDequeue()).toBeNull()
    })

    it('hands each due delivery to one claimer: claimed rows stay queued but are not handed out again', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, ['https://a.test/inbox', 'https://b.test/inbox'])
      const a = claimed(await store().deliveryDequeue())
      const b = claimed(await store().deliveryDequeue())
      expect(new Set([a.address, b.address])).toEqual(new Set(['https://a.test/inbox', 'https://b.test/inbox']))
      expect(a.id).not.toBe(b.id)
      // both are leased: nothing is due, but the queue is not empty
      expect(waiting(await store().deliveryDequeue()).getTime()).toBeGreaterThan(Date.now())
      expect(await store().deliveryQueueSize()).toBe(2)
    })

    it('hands out the earliest due delivery first', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, ['https://a.test/inbox', 'https://b.test/inbox'])
      const a = claimed(await store().deliveryDequeue())
      const b = claimed(await store().deliveryDequeue())
      await store().deliveryReschedule(a.id, new Date(Date.now() - 10_000), 'timeout')
      await store().deliveryReschedule(b.id, new Date(Date.now() - 20_000), 'timeout')
      expect(claimed(await store().deliveryDequeue()).id).toBe(b.id)
      expect(claimed(await store().deliveryDequeue()).id).toBe(a.id)
    })

    it('claims a batch in one step, oldest first, completes several at once and takes back released claims', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, ['https://a.test/inbox', 'https://b.test/inbox', 'https://c.test/inbox'])
      const older = claimed(await store().deliveryDequeue())
      await store().deliveryReschedule(older.id, new Date(Date.now() - 60_000), 'timeout')
      const batch = await store().deliveryClaim(2)
      expect(batch.waitUntil).toBeNull()
      expect(batch.deliveries.map(d => d.address)).toEqual(['https://a.test/inbox', 'https://b.test/inbox'])
      const last = await store().deliveryClaim(5)
      expect(last.deliveries.map(d => d.address)).toEqual(['https://c.test/inbox'])
      // everything is leased: nothing due, and the answer says when the leases end
      const none = await store().deliveryClaim(5)
      expect(none.deliveries).toEqual([])
      expect(none.waitUntil?.getTime()).toBeGreaterThan(Date.now())
      await store().deliveryComplete(batch.deliveries.map(d => d.id))
      expect(await store().deliveryQueueSize()).toBe(1)
      await store().deliveryRelease(last.deliveries.map(d => d.id))
      expect((await store().deliveryClaim(5)).deliveries.map(d => d.id)).toEqual(last.deliveries.map(d => d.id))
    })

    it('does not claim an object\'s later delivery to an inbox while its earlier one is queued, even in one batch', async () => {
      const update = (n: number): string => JSON.stringify({ type: 'Update', id: `https://hub.test/a/${n}`, object: { id: 'https://hub.test/s/1' } })
      await store().deliveryControl.enqueue(ACTOR, update(1), ['https://a.test/inbox'], 'https://hub.test/s/1')
      await store().deliveryControl.enqueue(ACTOR, update(2), ['https://a.test/inbox'], 'https://hub.test/s/1')
      const batch = await store().deliveryClaim(5)
      expect(batch.deliveries.map(d => d.body)).toEqual([update(1)])
      await store().deliveryComplete(batch.deliveries[0].id)
      expect((await store().deliveryClaim(5)).deliveries.map(d => d.body)).toEqual([update(2)])
    })

    it('deliveryComplete removes a delivery for good', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, 'https://a.test/inbox')
      const d = claimed(await store().deliveryDequeue())
      await store().deliveryComplete(d.id)
      expect(await store().deliveryQueueSize()).toBe(0)
      expect(await store().deliveryDequeue()).toBeNull()
    })

    it('deliveryReschedule releases the claim, counts the attempt and waits until the given time', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, 'https://a.test/inbox')
      const d = claimed(await store().deliveryDequeue())
      const later = new Date(Date.now() + HOUR)
      await store().deliveryReschedule(d.id, later, 'HTTP 503')
      expect(waiting(await store().deliveryDequeue())).toEqual(later)
      expect(await store().deliveryQueueSize()).toBe(1)

      await store().deliveryReschedule(d.id, new Date(Date.now() - 1000), 'HTTP 503')
      const again = claimed(await store().deliveryDequeue())
      expect(again).toMatchObject({ id: d.id, attempt: 2, address: 'https://a.test/inbox', body: BODY })
    })

    it('deliveryRequeue applies apex\'s back-off to the same delivery: after += 10^attempt ms, attempt + 1', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, 'https://a.test/inbox')
      const d = claimed(await store().deliveryDequeue())
      const past = new Date(Date.now() - HOUR)
      await store().deliveryReschedule(d.id, past, 'x')
      const retried = claimed(await store().deliveryDequeue())
      expect(retried.attempt).toBe(1)

      expect(await store().deliveryRequeue(retried)).toBe(true)
      const requeued = claimed(await store().deliveryDequeue())
      expect(requeued).toMatchObject({ id: d.id, attempt: 2 })
      expect(requeued.after.getTime()).toBe(past.getTime() + 10)
      expect(await store().deliveryQueueSize()).toBe(1)
    })

    it('deliveryFail ends a delivery and records why; failures are listed newest first', async () => {
      await store().deliveryEnqueue(ACTOR, BODY, ['https://a.test/inbox', 'https://b.test/inbox'])
      const a = claimed(await store().deliveryDequeue())
      const b = claimed(await store().deliveryDequeue())
      await store().deliveryFail(a.id, 'HTTP 410')
      await store().deliveryFail(b.id, 'too many attempts')
      expect(await store().deliveryQueueSize()).toBe(0)
      expect(await store().deliveryDequeue()).toBeNull()

      const failures = await store().listDeliveryFailures(10)
      expect(failures).toHaveLength(2)
      expect(failures[0]).toMatchObject({ id: b.id, actorId: ACTOR, address: b.address, attempt: 0, reason: 'too many attempts' })
      expect(failures[1]).toMatchObject({ id: a.id, address: a.address, reason: 'HTTP 410' })
      expect(Number.isNaN(Date.parse(failures[0].failedAt))).toBe(false)
      expect(await store().listDeliveryFailures(1)).toEqual([failures[0]])
    })
  })
}

/** A clock and a delivery lease of the test's choosing. */
export interface StoreTiming { now: () => number, deliveryLeaseMs: number }

/** Opens two stores on one new, empty database (two hub processes), both with `timing`. */
export type OpenSharedStores = (timing: StoreTiming) => Promise<[HubStore, HubStore]>

/** Registers the part of the delivery contract that needs two processes on one database and a clock it moves. */
export function describeDeliveryLeaseContract (adapterName: string, openShared: OpenSharedStores): void {
  describe(`delivery leases between processes: ${adapterName}`, () => {
    const opened: HubStore[] = []
    afterEach(async () => { for (const s of opened.splice(0)) await s.close() })

    it('a delivery whose lease ran out (its process crashed) is taken back by another process, and only then', async () => {
      let now = Date.parse('2024-01-01T00:00:00.000Z')
      const [a, b] = await openShared({ now: () => now, deliveryLeaseMs: 30_000 })
      opened.push(a, b)

      await a.deliveryEnqueue(ACTOR, BODY, 'https://far.test/inbox')
      const taken = claimed(await a.deliveryDequeue())
      expect(waiting(await b.deliveryDequeue()).getTime()).toBe(now + 30_000)

      now += 29_999
      expect(waiting(await b.deliveryDequeue()).getTime()).toBe(taken.after.getTime() + 30_000)
      now += 1
      // the lease ran out (say a crashed) so b gets the same delivery, which a no longer holds
      const retaken = claimed(await b.deliveryDequeue())
      expect(retaken).toMatchObject({ id: taken.id, attempt: 0, address: 'https://far.test/inbox' })
      expect(waiting(await a.deliveryDequeue()).getTime()).toBe(now + 30_000)
      await b.deliveryComplete(retaken.id)
      expect(await a.deliveryDequeue()).toBeNull()
      expect(await b.deliveryQueueSize()).toBe(0)
    })
  })
}
