import pg from 'pg'
import { FakePeer } from '../helpers/fake-peer'
import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'
import { PeerActor, servePeerActor } from '../helpers/peer-actors'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'
import { RoundRobinProxy, startRoundRobinProxy } from '../helpers/round-robin-proxy'
import { PostgresStore } from '../../src/store/postgres/postgres.store'
import {
  AS, checkOneInstanceKey, createCoop, quiet, registerSharedChecks, sign, ThreeProcesses
} from './three-process-checks'

/** Far longer than any wait below: what is sent sooner was woken, not polled for. */
const POLL_MS = 60_000

/**
 * Three hub processes on one PostgreSQL database, as on three machines: each with its own
 * DATA_DIR (no shared file) and its own port, all answering for one HUB_URL behind a round-robin
 * proxy. The checks of the SQLite file hold here too; work one process queues wakes the others at
 * once (LISTEN/NOTIFY, the poll set a minute apart); and a process killed in the middle of a
 * fan-out leaves no inbox without the activity, every copy carrying the one activity id.
 */
describe('three hub processes on one PostgreSQL database', () => {
  const adminToken = 'pg-three-processes-admin-token-0123456789'
  let database: TestDatabase
  let reader: pg.Pool
  let proxy: RoundRobinProxy
  let peer: FakePeer
  let hubs: HubProcess[] = []
  const setup = (): ThreeProcesses => ({
    proxy,
    peer,
    hubs,
    adminToken,
    query: async <R>(sql: string, params: unknown[] = []): Promise<R[]> => {
      let n = 0
      return (await reader.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as R[]
    },
    openStore: async () => await PostgresStore.open(database.url)
  })

  beforeAll(async () => {
    database = await createTestDatabase()
    reader = new pg.Pool({ connectionString: database.url, max: 2 })
    peer = await new FakePeer().start()
    proxy = await startRoundRobinProxy()
    const env = {
      HUB_URL: proxy.url,
      HUB_DATABASE_URL: database.url,
      HUB_PROCESS_HEARTBEAT_MS: '500',
      HUB_QUEUE_POLL_MS: String(POLL_MS),
      HUB_INBOX_RATE_LIMIT: '100000',
      HUB_SCHEDULER: '1',
      HUB_SCHEDULE_EXPIRY: '*/2 * * * * *',
      HUB_SCHEDULE_HEALTH: 'off',
      HUB_SCHEDULE_DIRECTORIES: 'off',
      HUB_SCHEDULE_SIBLINGS: 'off'
    }
    // All three start at once on an empty database, each in a DATA_DIR of its own.
    hubs = await Promise.all([0, 1, 2].map(() => startHubProcess({ adminToken, env })))
    proxy.upstreams.push(...hubs.map(h => h.url))
  }, 60_000)
  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) hubs.forEach((h, i) => console.log(`hub ${i}:\n${h.output()}`))
    await Promise.all(hubs.map(h => h.stop()))
    await proxy?.stop()
    await peer?.stop()
    await reader?.end()
    await database?.drop()
  })

  it('all three serve the one instance actor key that was stored', async () => {
    expect(new Set(hubs.map(h => h.dataDir)).size).toBe(3)
    await checkOneInstanceKey(setup())
    // Each answers for HUB_URL (the proxy's), not for the port it listens on.
    for (const hub of hubs) expect((await getActivityJson(`${hub.url}/actor`)).id).toBe(`${proxy.url}/actor`)
  })

  it('sends at once what another process queued, not at the next poll', async () => {
    const coop = await createCoop(setup(), 'waker')
    const watcher = servePeerActor(peer, 'wake-watcher', { key: 'ed25519-pem' })
    const arrival = async (activityId: string, queuedAt: number): Promise<number> => {
      const got = await eventually(async () => peer.postsTo(new URL(watcher.inbox).pathname).find(r => JSON.parse(r.body).id === activityId), `${activityId} at the watcher`, 5_000)
      return got.at - queuedAt
    }
    // The test is the other process: it queues through the store, as a hub process or the CLI would.
    const store = await PostgresStore.open(database.url)
    try {
      const direct = { '@context': AS, id: `${coop.id}#woken-delivery`, type: 'Announce', actor: coop.id, object: coop.id }
      const queuedAt = Date.now()
      await store.deliveryControl.enqueue(coop.id, JSON.stringify(direct), [watcher.inbox], null)
      expect(await arrival(direct.id, queuedAt)).toBeLessThan(5_000)

      const published = { '@context': AS, id: `${coop.id}#woken-publish`, type: 'Announce', actor: coop.id, object: coop.id, to: [watcher.id] }
      const publishedAt = Date.now()
      await store.outbox.publish({ resolution: { activityId: published.id, actorId: coop.id, body: JSON.stringify(published), audience: [watcher.id], orderingKey: null } })
      expect(await arrival(published.id, publishedAt)).toBeLessThan(5_000)
    } finally {
      await store.close()
    }
  })

  registerSharedChecks(setup)

  // Last: it kills one of the three.
  it('delivers one publish to all 200 inboxes when a process holding its deliveries is killed in the middle', async () => {
    const s = setup()
    const coop = await createCoop(s, 'crowd')
    const fans = Array.from({ length: 200 }, (_, i) => servePeerActor(peer, `fan${i}`, { key: 'ed25519-pem' }))
    // One real Follow; the other 199 followers are written through the store as copies of it (200
    // real Follows would each send the followers collection's Update to every follower so far).
    const followOf = (fan: PeerActor): string => `${fan.id}/follows/crowd`
    expect(await sign(`${proxy.url}/u/crowd/inbox`, fans[0], { '@context': AS, id: followOf(fans[0]), type: 'Follow', actor: fans[0].id, object: coop.id })).toBe(202)
    await quiet(s)
    const store = await s.openStore()
    try {
      const actor = await store.getObject(fans[0].id, true)
      const follow = await store.getActivity(followOf(fans[0]), true)
      if (actor === null || follow === null) throw new Error('the first Follow was not stored')
      for (const fan of fans.slice(1)) {
        const copy = <T>(node: T): T => JSON.parse(JSON.stringify(node).split(fans[0].id).join(fan.id))
        expect(await store.saveObject(copy(actor))).toBe(true)
        await store.saveActivity(copy(follow))
      }
    } finally {
      await store.close()
    }
    expect((await getActivityJson(`${proxy.url}/u/crowd/followers`)).totalItems).toBe(200)

    // Slow answers keep deliveries leased (claimed, in flight) for a few seconds.
    peer.postDelayMs = 400
    const put = await api(proxy, 'PUT', '/api/v1/coops/crowd/services/files', coop.token, { name: 'Crowd Files', category: 'file-hosting', url: 'https://files.crowd.example', access: 'public' })
    expect(put.status).toBe(201)
    const creates = (): Array<{ path: string, id: string }> => peer.received
      .map(r => ({ path: r.path, doc: JSON.parse(r.body) }))
      .filter(r => r.doc.type === 'Create' && r.doc.object?.id === put.json.id)
      .map(r => ({ path: r.path, id: r.doc.id as string }))
    await eventually(async () => creates().length >= 20 ? true : undefined, 'the fan-out to be under way', 20_000)
    const victim = await eventually(async () => {
      const holders = await s.query<{ owner: string }>('SELECT DISTINCT lease_owner AS owner FROM deliveries WHERE lease_owner IS NOT NULL AND lease_until_ms > ?', [Date.now()])
      return hubs.find(h => holders.some(r => Number(r.owner.split(':').at(-2)) === h.pid))
    }, 'a process holding deliveries', 5_000)
    await victim.kill()
    const sentBeforeKill = creates().length
    proxy.upstreams.splice(proxy.upstreams.indexOf(victim.url), 1)
    expect(sentBeforeKill).toBeLessThan(fans.length)

    const inboxes = new Set(fans.map(f => new URL(f.inbox).pathname))
    await eventually(async () => [...inboxes].every(p => creates().some(c => c.path === p)) ? true : undefined, 'the Create at every inbox', 45_000)
    peer.postDelayMs = 0
    // At least once per inbox (a copy in flight when its process died is sent again), one activity id for the publish.
    const copies = creates()
    expect(new Set(copies.map(c => c.path))).toEqual(inboxes)
    const ids = new Set(copies.map(c => c.id))
    expect(ids.size).toBe(1)
    expect(copies.length).toBeGreaterThanOrEqual(fans.length)
    // A copy still queued (sent again, or waiting for a retry) is the same activity too.
    const queued = await s.query<{ body: string }>('SELECT body FROM deliveries WHERE address LIKE ?', [`${peer.origin}/users/fan%`])
    expect(queued.map(q => JSON.parse(q.body).id).filter(id => !ids.has(id))).toEqual([])
  }, 90_000)
})
