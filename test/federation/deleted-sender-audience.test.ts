import pino from 'pino'
import type { Apex } from '../../src/federation/apex-setup'
import { AudienceResolver } from '../../src/federation/delivery/audience-resolver'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { fixtures } from '../store/store.fixtures'

/**
 * A co-op that is deleted publishes a Delete of itself and is then replaced by its Tombstone,
 * which names no followers collection. The Delete's audience is resolved after that (by the
 * worker, maybe after a restart): its followers, still on record, must get it all the same.
 */
describe('the audience of a deleted sender', () => {
  const alpha = fixtures.actor('alpha', { local: true })
  const FOLLOWERS = `${alpha.id}/followers`
  const apex = { getBlocked: async () => ({ orderedItems: [] }), address: async () => [] } as unknown as Apex
  let store: SqliteStore

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    await store.saveObject(alpha)
    for (let n = 0; n < 3; n++) {
      const follower = fixtures.actor(`f${n}`, { host: `https://p${n}.test` })
      await store.saveObject(follower)
      await store.saveActivity(fixtures.activity(100 + n, 'Follow', follower.id, alpha.id, [FOLLOWERS]))
    }
  })

  afterEach(() => { store.close() })

  async function resolve (): Promise<void> {
    const resolver = new AudienceResolver(apex, store, { isBlockedHost: async () => false, logger: pino({ level: 'silent' }), onQueued: () => {} })
    resolver.wake()
    await resolver.idle()
  }

  it('queues the Delete to the followers of a sender replaced by its Tombstone since', async () => {
    await store.outbox.publish({
      resolution: { activityId: 'https://hub.test/s/delete-alpha', actorId: alpha.id, body: '{}', audience: ['https://www.w3.org/ns/activitystreams#Public', FOLLOWERS], orderingKey: alpha.id }
    })
    // What deleting the co-op writes after the publish: the Tombstone, keeping the private key.
    await store.updateObject({ id: alpha.id, type: 'Tombstone', deleted: new Date().toISOString(), _meta: alpha._meta }, alpha.id, true)
    await resolve()
    const queued = (await store.deliveryClaim(10)).deliveries.map(d => d.address).sort()
    expect(queued).toEqual(['https://p0.test/u/f0/inbox', 'https://p1.test/u/f1/inbox', 'https://p2.test/u/f2/inbox'])
    expect(await store.outbox.pendingResolutions()).toBe(0)
  })

  it('does not take the followers collection of a remote actor that is gone for one of its own', async () => {
    const remote = fixtures.actor('omega', { host: 'https://far.test' })
    await store.saveObject({ id: remote.id, type: 'Tombstone' })
    await store.outbox.publish({
      resolution: { activityId: 'https://hub.test/s/forward', actorId: alpha.id, body: '{}', audience: [`${remote.id}/followers`], orderingKey: null }
    })
    await resolve()
    expect((await store.deliveryClaim(10)).deliveries).toEqual([])
  })
})
