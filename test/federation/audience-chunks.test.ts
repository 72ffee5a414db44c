import pino from 'pino'
import type { Apex } from '../../src/federation/apex-setup'
import { AudienceResolver } from '../../src/federation/delivery/audience-resolver'
import type { ResolutionCursor } from '../../src/store/ports/outbox.port'
import { SqliteOutboxRepository } from '../../src/store/sqlite/sqlite.outbox.repository'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { fixtures } from '../store/store.fixtures'

/**
 * A page of followers with their own inboxes is queued in short writes of at most 200 targets,
 * the event loop let go between them, and the job's cursor moves past the page only with its
 * last write. On a real SQLite store; the page here is 500 members, 450 of them following.
 */
describe('audience pages queued in short writes', () => {
  const alpha = fixtures.actor('alpha', { local: true })
  const FOLLOWERS = `${alpha.id}/followers`
  const FOLLOWERS_COUNT = 450
  const queuePage = SqliteOutboxRepository.prototype.queuePage
  const apex = { getBlocked: async () => ({ orderedItems: [] }), address: async () => [] } as unknown as Apex

  let store: SqliteStore
  let writes: Array<{ size: number, cursor: ResolutionCursor, turn: number }>
  let turn: number
  let ticking: boolean
  let failOnWrite: number | null

  /** Counts turns of the event loop until stopped. */
  function tick (): void {
    if (!ticking) return
    turn++
    setImmediate(tick)
  }

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    await store.saveObject(alpha)
    for (let n = 0; n < FOLLOWERS_COUNT; n++) {
      const actor = fixtures.actor(`f${n}`, { host: `https://p${n % 7}.test` })
      await store.saveObject(actor)
      await store.saveActivity(fixtures.activity(1000 + n, 'Follow', actor.id, alpha.id, [FOLLOWERS]))
    }
    writes = []
    turn = 0
    ticking = true
    failOnWrite = null
    setImmediate(tick)
    // The store's gate keeps the repository's methods it wrapped: watch the class's own method.
    jest.spyOn(SqliteOutboxRepository.prototype, 'queuePage').mockImplementation(async function (this: SqliteOutboxRepository, id, addresses, cursor) {
      if (writes.length === failOnWrite) throw new Error('the process died here')
      writes.push({ size: addresses.length, cursor, turn })
      return await queuePage.call(this, id, addresses, cursor)
    })
  })

  afterEach(() => {
    jest.restoreAllMocks()
    ticking = false
    store.close()
  })

  /** Publishes to alpha's followers and resolves the job once with a page of 500. */
  async function resolveOnce (): Promise<void> {
    const resolver = new AudienceResolver(apex, store, { isBlockedHost: async () => false, logger: pino({ level: 'silent' }), onQueued: () => {}, pageSize: 500 })
    resolver.wake()
    await resolver.idle()
  }

  const publish = async (): Promise<number> => await store.outbox.publish({
    resolution: { activityId: 'https://hub.test/s/1', actorId: alpha.id, body: '{}', audience: [FOLLOWERS], orderingKey: null }
  })

  it('writes at most 200 targets at a time, on separate turns, and moves the cursor with the last write', async () => {
    await publish()
    await resolveOnce()
    expect(writes.map(w => w.size)).toEqual([200, 200, 50])
    expect(writes.slice(0, 2).map(w => w.cursor)).toEqual([{ position: 0, seq: 0 }, { position: 0, seq: 0 }])
    expect(writes[2].cursor.seq).toBeGreaterThan(0)
    expect(writes[1].turn).toBeGreaterThan(writes[0].turn)
    expect(writes[2].turn).toBeGreaterThan(writes[1].turn)
    expect(await store.deliveryQueueSize()).toBe(FOLLOWERS_COUNT)
    expect(await store.outbox.pendingResolutions()).toBe(0)
  })

  it('after a failure between two writes of a page, reads the page again and queues each inbox once', async () => {
    const id = await publish()
    failOnWrite = 1
    await resolveOnce()
    expect(writes.map(w => w.size)).toEqual([200])
    // The failed job waits for its retry: make it due now and look at where it stands.
    await store.outbox.retryResolution(id, new Date(Date.now() - 1000), 'due again')
    const [job] = await store.outbox.claimResolutions(1)
    expect(job.cursor).toEqual({ position: 0, seq: 0 })
    await store.outbox.retryResolution(id, new Date(Date.now() - 1000), 'due again')
    failOnWrite = null
    await resolveOnce()
    const claimed = (await store.deliveryClaim(1000)).deliveries.map(d => d.address)
    expect(claimed).toHaveLength(FOLLOWERS_COUNT)
    expect(new Set(claimed).size).toBe(FOLLOWERS_COUNT)
    expect(await store.outbox.pendingResolutions()).toBe(0)
  })
})
