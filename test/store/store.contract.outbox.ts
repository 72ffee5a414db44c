/** Contract for the transactional outbox: publish all-or-nothing, leased resolution jobs, idempotent fan-out. */
import { buildAgreementVersion, proposeAgreement } from '../../src/domain/member-exchange-agreement'
import type { OutboxEntry, OutboxRecordChange } from '../../src/store/ports/outbox.port'
import { pledgeRecord, poolRecord } from './pool.contract'
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

/** A publish of activity `n` by alpha (an Offer, Accept, Update…) with `records`. */
function recordEntry (n: number, type: string, object: string, records: OutboxRecordChange[]): OutboxEntry {
  const activity = fixtures.activity(n, type, alpha.id, object, [OUTBOX])
  return { activity, records, resolution: { activityId: activity.id, actorId: alpha.id, body: `{"n":${n}}`, audience: [FOLLOWERS], orderingKey: object } }
}

/** An agreement proposed by alpha to beta. */
function agreementRecord (id: string) {
  const doc = buildAgreementVersion({
    id, author: alpha.id, parties: [alpha.id, 'https://b.test/u/beta'], name: 'Exchange', terms: 'T', services: [],
    startTime: '2026-01-01T00:00:00.000Z', status: 'proposed', authorFollowers: null, now: '2026-01-01T00:00:00.000Z'
  })
  return proposeAgreement(doc, `${id}-offer`, '2026-01-01T00:00:00.000Z')
}

/** Asserts that nothing of a failed publish was stored: no activity in the outbox, no job. */
async function expectNothingOf (store: StoreRef, entry: OutboxEntry): Promise<void> {
  expect(await store().getActivity(entry.resolution.activityId)).toBeNull()
  expect(await store().getStreamCount(OUTBOX)).toBe(0)
  expect(await store().outbox.pendingResolutions()).toBe(0)
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
      expect((await store().getService(fixtures.service('files').id))?.actorId).toBe(alpha.id)
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
      expect(await store().getService(fixtures.service('broken').id)).toBeNull()
      expect(await store().outbox.pendingResolutions()).toBe(0)
      expect(await store().outbox.claimResolutions(10)).toEqual([])
    })

    it('stores a pledge and its pool\'s totals with the activity announcing them', async () => {
      const pool = poolRecord(`${alpha.id}/pools/1`, { stewardId: alpha.id })
      const pledge = pledgeRecord('https://b.test/s/offer-1', pool.id, { stewardId: alpha.id, state: 'pledged', pledgeId: `${alpha.id}/pledges/1` })
      await store().outbox.publish(recordEntry(10, 'Accept', pledge.offerId, [{ kind: 'pledge-save', pledge }, { kind: 'pool-save', pool }]))
      expect(await store().pools.getPledgeByOffer(pledge.offerId)).toEqual(pledge)
      expect(await store().pools.getPool(pool.id)).toEqual(pool)
      expect(await store().outbox.pendingResolutions()).toBe(1)
    })

    it('stores no pledge when a later part of its publish fails', async () => {
      const pledge = pledgeRecord('https://b.test/s/offer-2', `${alpha.id}/pools/1`, { pledgerId: alpha.id })
      // The second change cannot be written (it has no amount) after the activity and the pledge were.
      const broken = { ...pledgeRecord('https://b.test/s/offer-3', `${alpha.id}/pools/1`), amount: undefined } as unknown as typeof pledge
      const entry = recordEntry(11, 'Offer', pledge.offerId, [{ kind: 'pledge-save', pledge }, { kind: 'pledge-save', pledge: broken }])
      expect(await rejectionOf(() => store().outbox.publish(entry))).toBeTruthy()
      expect(await store().pools.getPledgeByOffer(pledge.offerId)).toBeNull()
      expect(await store().pools.listPledges({})).toEqual([])
      await expectNothingOf(store, entry)
    })

    it('stores an agreement with the activity proposing it', async () => {
      const agreement = agreementRecord(`${alpha.id}/agreements/1`)
      await store().outbox.publish(recordEntry(12, 'Offer', agreement.id, [{ kind: 'agreement-save', agreement }]))
      expect(await store().agreements.getAgreement(agreement.id)).toEqual(agreement)
      expect(await store().outbox.pendingResolutions()).toBe(1)
    })

    it('stores no agreement when a later part of its publish fails', async () => {
      const agreement = agreementRecord(`${alpha.id}/agreements/2`)
      // A version that cannot be serialised fails after the activity and the agreement's row were written.
      const version = { ...agreement.versions[0], object: { ...agreement.versions[0].object, n: BigInt(1) } }
      const entry = recordEntry(13, 'Offer', agreement.id, [{ kind: 'agreement-save', agreement: { ...agreement, versions: [version] } }])
      expect(await rejectionOf(() => store().outbox.publish(entry))).toBeTruthy()
      expect(await store().agreements.getAgreement(agreement.id)).toBeNull()
      expect(await store().agreements.listAgreements()).toEqual([])
      await expectNothingOf(store, entry)
    })

    it('stores several publishes together, or none of them when one fails', async () => {
      const pool = poolRecord(`${alpha.id}/pools/2`, { stewardId: alpha.id })
      const pledge = pledgeRecord('https://b.test/s/offer-4', pool.id, { stewardId: alpha.id, state: 'pledged', pledgeId: `${alpha.id}/pledges/4` })
      const update = recordEntry(14, 'Update', pool.id, [{ kind: 'pledge-save', pledge }, { kind: 'pool-save', pool }])
      const accept = recordEntry(15, 'Accept', pledge.offerId, [{ kind: 'pool-save', pool: { ...pool, object: { ...pool.object, n: BigInt(1) } as unknown as typeof pool.object } }])
      expect(await rejectionOf(() => store().outbox.publishAll([update, accept]))).toBeTruthy()
      expect(await store().pools.getPledgeByOffer(pledge.offerId)).toBeNull()
      expect(await store().pools.getPool(pool.id)).toBeNull()
      await expectNothingOf(store, update)

      const ids = await store().outbox.publishAll([update, { ...accept, records: [] }])
      expect(ids).toHaveLength(2)
      expect((await store().outbox.claimResolutions(10)).map(j => j.activityId)).toEqual([update.resolution.activityId, accept.resolution.activityId])
      expect(await store().pools.getPledgeByOffer(pledge.offerId)).toEqual(pledge)
    })

    it('leases a job once; finishing it queues one delivery per address and removes it', async () => {
      await store().outbox.publish(createEntry(4, 'files'))
      const [job] = await store().outbox.claimResolutions(10)
      expect(await store().outbox.claimResolutions(10)).toEqual([]) // leased
      const queued = await store().outbox.finishResolution(job.id, ['https://a.test/inbox', 'https://b.test/inbox', 'https://a.test/inbox'])
      expect(queued).toBe(2)
      expect(await store().outbox.pendingResolutions()).toBe(0)
      expect(await store().deliveryQueueSize()).toBe(2)
      const claim = await store().deliveryClaim(10)
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
      expect((await store().deliveryClaim(10)).deliveries.map(d => d.address).sort()).toEqual(['https://a.test/inbox', 'https://c.test/inbox'])
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

    describe('audiences in pages', () => {
      /** A remote follower of alpha: its actor cached, its Follow in alpha's followers (as an accepted Follow leaves them). */
      async function follower (n: number, host: string, shared: boolean): Promise<string> {
        const actor = fixtures.actor(`f${n}`, { host })
        if (shared) actor.endpoints = [{ sharedInbox: [`${host}/inbox`] }]
        await store().saveObject(actor)
        await store().saveActivity(fixtures.activity(100 + n, 'Follow', actor.id, alpha.id, [FOLLOWERS]))
        return actor.id
      }

      it('reads a followers collection page by page as distinct delivery targets, shared inbox first', async () => {
        await follower(1, 'https://a.test', true)
        await follower(2, 'https://b.test', false)
        await follower(3, 'https://a.test', true)
        const blocked = await follower(4, 'https://c.test', false)
        await follower(5, 'https://d.test', false)
        // A follower whose actor is not cached has no target; the page still moves past it.
        await store().saveActivity(fixtures.activity(106, 'Follow', 'https://e.test/u/gone', alpha.id, [FOLLOWERS]))

        const first = await store().outbox.audiencePage(FOLLOWERS, 0, 3, [blocked])
        expect(first.targets.sort()).toEqual(['https://a.test/inbox', 'https://b.test/u/f2/inbox'])
        const second = await store().outbox.audiencePage(FOLLOWERS, first.lastSeq ?? -1, 3, [blocked])
        expect(second.targets.sort()).toEqual(['https://d.test/u/f5/inbox'])
        expect(second.lastSeq).toBeGreaterThan(first.lastSeq ?? Infinity)
        expect(await store().outbox.audiencePage(FOLLOWERS, second.lastSeq ?? -1, 3, [blocked])).toEqual({ targets: [], lastSeq: null })
        expect(await store().outbox.isLocalFollowersCollection(FOLLOWERS)).toBe(true)
        expect(await store().outbox.isLocalFollowersCollection('https://a.test/u/f1/followers')).toBe(false)
      })

      it('follows a member to its new delivery target when its actor is cached late or changes inbox', async () => {
        // A Follow stored before its actor was cached: no target until the actor is.
        await store().saveActivity(fixtures.activity(101, 'Follow', 'https://a.test/u/f1', alpha.id, [FOLLOWERS]))
        expect((await store().outbox.audiencePage(FOLLOWERS, 0, 10, [])).targets).toEqual([])
        const actor = fixtures.actor('f1', { host: 'https://a.test' })
        await store().saveObject(actor)
        expect((await store().outbox.audiencePage(FOLLOWERS, 0, 10, [])).targets).toEqual(['https://a.test/u/f1/inbox'])

        // Its server starts naming a shared inbox (an Update of the actor), then the actor moves its inbox.
        await store().updateObject({ ...actor, endpoints: [{ sharedInbox: ['https://a.test/inbox'] }] }, actor.id, true)
        expect((await store().outbox.audiencePage(FOLLOWERS, 0, 10, [])).targets).toEqual(['https://a.test/inbox'])
        await store().updateObject({ ...actor, inbox: ['https://a.test/u/f1/new-inbox'] }, actor.id, true)
        expect((await store().outbox.audiencePage(FOLLOWERS, 0, 10, [])).targets).toEqual(['https://a.test/u/f1/new-inbox'])
        expect((await store().outbox.audiencePage(FOLLOWERS, 0, 10, [actor.id])).targets).toEqual([])
      })

      it('queues a target once per job across pages, even after its delivery was sent and removed, and records the cursor', async () => {
        await store().outbox.publish(createEntry(20, 'files'))
        const [job] = await store().outbox.claimResolutions(10)
        expect(job.cursor).toEqual({ position: 0, seq: 0 })
        expect(await store().outbox.queuePage(job.id, ['https://a.test/inbox', 'https://b.test/inbox'], { position: 0, seq: 7 })).toBe(2)
        const sent = (await store().deliveryClaim(10)).deliveries
        await store().deliveryComplete(sent.map(d => d.id)) // delivered: the rows are gone
        expect(await store().deliveryQueueSize()).toBe(0)
        expect(await store().outbox.queuePage(job.id, ['https://a.test/inbox', 'https://c.test/inbox'], { position: 1, seq: 0 })).toBe(1)
        expect((await store().deliveryClaim(10)).deliveries.map(d => d.address)).toEqual(['https://c.test/inbox'])

        // A crash here: the lease lapses, the job is claimed again where it stopped.
        await store().outbox.retryResolution(job.id, new Date(Date.now() - 1000), 'process gone')
        const [again] = await store().outbox.claimResolutions(10)
        expect(again.cursor).toEqual({ position: 1, seq: 0 })
        expect(await store().outbox.finishResolution(again.id, ['https://b.test/inbox', 'https://d.test/inbox'])).toBe(1)
        expect(await store().outbox.pendingResolutions()).toBe(0)
      })

      it('keeps totalItems with the membership rows: adds, removals and deleted activities', async () => {
        await follower(1, 'https://a.test', false)
        await follower(2, 'https://b.test', false)
        await follower(3, 'https://c.test', false)
        expect(await store().getStreamCount(FOLLOWERS)).toBe(3)
        await store().updateActivityMeta({ id: 'https://hub.test/s/102' }, 'collection', FOLLOWERS, true) // an Undo takes it out
        await store().removeActivity({ id: 'https://hub.test/s/103' }, 'https://c.test/u/f3')
        expect(await store().getStreamCount(FOLLOWERS)).toBe(1)
        await store().updateActivityMeta({ id: 'https://hub.test/s/102' }, 'collection', FOLLOWERS, false)
        expect(await store().getStreamCount(FOLLOWERS)).toBe(2)
        expect(await store().getStreamCount(`${alpha.id}/following`)).toBe(0)
      })
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
