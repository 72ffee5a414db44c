/** Contract for the transactional outbox: publish all-or-nothing, leased resolution jobs, idempotent fan-out. */
import type { OutboxEntry } from '../../src/store/ports/outbox.port'
import { fixtures, rejectionOf, type StoreRef } from './store.fixtures'

const alpha = fixtures.actor('alpha', { local: true })
const OUTBOX = `${alpha.id}/outbox`
const FOLLOWERS = `${alpha.id}/followers`
const HOUR = 3_600_000

/** A publish of a Create of service `key` by alpha. */
function createEntry (n: number, key: string): OutboxEntry {
  const service = fixtures.service(key)
  const object = { id: service.id, type: 'Service', name: [key] }
  const activity = fixtures.activity(n, 'Create', alpha.id, object, [OUTBOX])
  return {
    objects: [object],
    activity,
    records: [{ kind: 'service-upsert', service }],
    resolution: { activityId: activity.id, actorId: alpha.id, body: `{"n":${n}}`, audience: [FOLLOWERS], orderingKey: object.id }
  }
}

/** Registers the outbox part of the contract (real clock). */
export function describeOutboxContract (store: StoreRef): void {
  describe('transactional outbox', () => {
    beforeEach(async () => { await store().saveObject(alpha) })

    it('stores the object, the activity in the outbox, the record and the job together', async () => {
      const entry = createEntry(1, 'files')
      await store().outbox.publish(entry)
      expect(await store().getObject(fixtures.service('files').id)).toEqual(entry.objects?.[0])
      expect((await store().getActivity(entry.resolution.activityId, true))?._meta?.collection).toEqual([OUTBOX])
      expect((await store().getStream(OUTBOX, 10)).map(a => a.id)).toEqual([entry.resolution.activityId])
      expect(store().getService(fixtures.service('files').id)?.actorId).toBe(alpha.id)
      expect(await store().outbox.pendingResolutions()).toBe(1)
      const [job] = await store().outbox.claimResolutions(10)
      expect(job).toMatchObject({ ...entry.resolution, attempt: 0 })
    })

    it('replaces a stored object of the same id (a Delete replaces it with a Tombstone), keeping its _meta', async () => {
      await store().saveObject({ ...alpha, id: `${alpha.id}/x`, _meta: { note: ['kept'] } })
      const tombstone = { id: `${alpha.id}/x`, type: 'Tombstone' }
      const activity = fixtures.activity(2, 'Delete', alpha.id, tombstone.id, [OUTBOX])
      await store().outbox.publish({ objects: [tombstone], activity, resolution: { activityId: activity.id, actorId: alpha.id, body: '{}', audience: [], orderingKey: tombstone.id } })
      expect(await store().getObject(tombstone.id, true)).toEqual({ ...tombstone, _meta: { note: ['kept'] } })
    })

    it('stores nothing at all when any part of a publish fails', async () => {
      const entry = createEntry(3, 'broken')
      // A record that cannot be serialised fails after the object and the activity were written.
      entry.records = [{ kind: 'service-upsert', service: { ...fixtures.service('broken'), object: { n: BigInt(1) } } }]
      expect(await rejectionOf(() => store().outbox.publish(entry))).toBeTruthy()
      expect(await store().getObject(fixtures.service('broken').id)).toBeNull()
      expect(await store().getActivity(entry.resolution.activityId)).toBeNull()
      expect(await store().getStreamCount(OUTBOX)).toBe(0)
      expect(store().getService(fixtures.service('broken').id)).toBeNull()
      expect(await store().outbox.pendingResolutions()).toBe(0)
      expect(await store().outbox.claimResolutions(10)).toEqual([])
    })

    it('leases a job once; finishing it queues one delivery per address and removes it', async () => {
      await store().outbox.publish(createEntry(4, 'files'))
      const [job] = await store().outbox.claimResolutions(10)
      expect(await store().outbox.claimResolutions(10)).toEqual([]) // leased
      const queued = await store().outbox.finishResolution(job.id, ['https://a.test/inbox', 'https://b.test/inbox', 'https://a.test/inbox'])
      expect(queued).toBe(2)
      expect(await store().outbox.pendingResolutions()).toBe(0)
      expect(store().deliveryQueueSize()).toBe(2)
      const claim = store().deliveryClaim(10)
      expect(claim.deliveries.map(d => [d.actorId, d.address, d.body]).sort()).toEqual([
        [alpha.id, 'https://a.test/inbox', '{"n":4}'], [alpha.id, 'https://b.test/inbox', '{"n":4}']
      ])
    })

    it('never queues a second delivery of one activity to one inbox (a job resolved twice)', async () => {
      const entry = createEntry(5, 'files')
      await store().outbox.publish(entry)
      await store().outbox.publish({ resolution: entry.resolution })
      const jobs = await store().outbox.claimResolutions(10)
      expect(jobs).toHaveLength(1) // the second waits behind the first (same object)
      expect(await store().outbox.finishResolution(jobs[0].id, ['https://a.test/inbox'])).toBe(1)
      const [again] = await store().outbox.claimResolutions(10)
      expect(await store().outbox.finishResolution(again.id, ['https://a.test/inbox', 'https://c.test/inbox'])).toBe(1)
      expect(store().deliveryClaim(10).deliveries.map(d => d.address).sort()).toEqual(['https://a.test/inbox', 'https://c.test/inbox'])
    })

    it('resolves jobs of one object in the order published; others do not wait', async () => {
      await store().outbox.publish(createEntry(6, 'files'))
      const update = createEntry(7, 'files')
      await store().outbox.publish({ ...update, activity: { ...update.activity!, type: 'Update' } })
      await store().outbox.publish(createEntry(8, 'mail'))
      const first = await store().outbox.claimResolutions(10)
      expect(first.map(j => j.activityId)).toEqual(['https://hub.test/s/6', 'https://hub.test/s/8'])
      await store().outbox.finishResolution(first[0].id, [])
      expect((await store().outbox.claimResolutions(10)).map(j => j.activityId)).toEqual(['https://hub.test/s/7'])
    })

    it('a retried job waits until its time and counts the attempt', async () => {
      await store().outbox.publish(createEntry(9, 'files'))
      const [job] = await store().outbox.claimResolutions(10)
      await store().outbox.retryResolution(job.id, new Date(Date.now() + HOUR), 'peer down')
      expect(await store().outbox.claimResolutions(10)).toEqual([])
      await store().outbox.retryResolution(job.id, new Date(Date.now() - 1000), 'peer down')
      expect((await store().outbox.claimResolutions(10))[0]).toMatchObject({ id: job.id, attempt: 2 })
    })
  })
}
