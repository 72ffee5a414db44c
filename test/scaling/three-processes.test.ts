import crypto from 'crypto'
import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer, verifyReceived } from '../helpers/fake-peer'
import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'
import { RoundRobinProxy, startRoundRobinProxy } from '../helpers/round-robin-proxy'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'

const AS = 'https://www.w3.org/ns/activitystreams'

/**
 * Three hub processes with one HUB_URL and one DATA_DIR (one SQLite database in WAL mode),
 * behind a round-robin proxy, started at the same moment: every inbound activity is processed
 * once even when it reaches two processes at the same moment, every delivery is sent once,
 * every tick of a scheduled job runs once, and no process signs with a key another replaced.
 */
describe('three hub processes on one SQLite database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-three-'))
  const adminToken = 'three-processes-admin-token-0123456789'
  let proxy: RoundRobinProxy
  let peer: FakePeer
  let hubs: HubProcess[] = []
  const db = (): Database.Database => new Database(path.join(dataDir, 'hub.sqlite'), { readonly: true })
  const count = (sql: string): number => {
    const d = db()
    try { return (d.prepare(sql).get() as { n: number }).n } finally { d.close() }
  }

  beforeAll(async () => {
    peer = await new FakePeer().start()
    proxy = await startRoundRobinProxy()
    const env = {
      HUB_URL: proxy.url,
      HUB_PROCESS_HEARTBEAT_MS: '500',
      HUB_INBOX_RATE_LIMIT: '100000',
      HUB_SCHEDULER: '1',
      HUB_SCHEDULE_EXPIRY: '*/2 * * * * *',
      HUB_SCHEDULE_HEALTH: 'off',
      HUB_SCHEDULE_DIRECTORIES: 'off',
      HUB_SCHEDULE_SIBLINGS: 'off'
    }
    // All three start at once on a fresh DATA_DIR: migrations, the instance actor and the admin token race.
    hubs = await Promise.all([0, 1, 2].map(() => startHubProcess({ dataDir, adminToken, env })))
    proxy.upstreams.push(...hubs.map(h => h.url))
  })
  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) hubs.forEach((h, i) => console.log(`hub ${i}:\n${h.output()}`))
    await Promise.all(hubs.map(h => h.stop()))
    await proxy?.stop()
    await peer?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  const sign = async (url: string, actor: PeerActor, doc: Record<string, unknown>): Promise<number> => {
    const body = JSON.stringify(doc)
    return (await postRaw(url, body, signedHeaders(actor, url, body, { style: 'rfc9421' }))).status
  }
  /** Runs `work` for 0..total-1, `width` at a time. */
  const inParallel = async (total: number, width: number, work: (n: number) => Promise<void>): Promise<void> => {
    let next = 0
    await Promise.all(Array.from({ length: width }, async () => { while (next < total) await work(next++) }))
  }
  const createCoop = async (username: string): Promise<{ id: string, token: string }> => {
    const made = await api(proxy, 'POST', '/api/v1/coops', adminToken, { username, name: `${username} co-op` })
    expect(made.status).toBe(201)
    return made.json
  }
  const quiet = async (): Promise<void> => {
    await eventually(async () => count('SELECT COUNT(*) AS n FROM deliveries') === 0 && count('SELECT COUNT(*) AS n FROM inbox_journal') === 0 ? true : undefined, 'the queue and the inbox journal to empty', 30_000)
  }

  it('all three serve the one instance actor key that was stored', async () => {
    const keys = await Promise.all(hubs.map(async h => (await getActivityJson(`${h.url}/actor`)).publicKey.publicKeyPem as string))
    expect(new Set(keys).size).toBe(1)
    expect(count('SELECT COUNT(*) AS n FROM hub_processes')).toBe(3)
  })

  it('stores and processes each of 300 signed inbound activities once, each POSTed to two processes at the same moment', async () => {
    const coop = await createCoop('listener')
    const senders = Array.from({ length: 10 }, (_, i) => servePeerActor(peer, `sender${i}`, { key: 'ed25519-pem' }))
    const TOTAL = 300
    const followId = (n: number): string => `${senders[n % senders.length].id}/follows/${n}`
    const statuses: number[] = []
    await inParallel(TOTAL, 8, async n => {
      const sender = senders[n % senders.length]
      const follow = { '@context': AS, id: followId(n), type: 'Follow', actor: sender.id, object: coop.id }
      // Two requests at once through the proxy: two different processes; one to the shared inbox.
      statuses.push(...await Promise.all([
        sign(`${proxy.url}/u/listener/inbox`, sender, follow),
        sign(`${proxy.url}${n % 2 === 0 ? '/inbox' : '/u/listener/inbox'}`, sender, follow)
      ]))
    })
    expect(statuses.filter(s => s !== 202)).toEqual([])
    expect([...proxy.counts.values()].every(c => c >= 2 * TOTAL / 3 - 5)).toBe(true)

    const accepts = (): Map<string, number> => {
      const byFollow = new Map<string, number>()
      for (const r of peer.received) {
        const doc = JSON.parse(r.body)
        if (doc.type === 'Accept') {
          const id = typeof doc.object === 'string' ? doc.object : doc.object.id
          byFollow.set(id, (byFollow.get(id) ?? 0) + 1)
        }
      }
      return byFollow
    }
    await eventually(async () => accepts().size === TOTAL ? true : undefined, 'an Accept for every Follow', 30_000)
    await quiet()
    const stored = db()
    try {
      const rows = stored.prepare<[string], { id: string }>("SELECT id FROM streams WHERE type = 'Follow' AND id LIKE ?").all(`${peer.origin}/%`)
      expect(rows).toHaveLength(TOTAL)
      expect(new Set(rows.map(r => r.id))).toEqual(new Set(Array.from({ length: TOTAL }, (_, n) => followId(n))))
    } finally {
      stored.close()
    }
    // Processed once: one Accept per Follow, no more (a second run would send a second one).
    const sent = accepts()
    expect([...sent.values()].filter(c => c !== 1)).toEqual([])
    expect(sent.size).toBe(TOTAL)
  }, 90_000)

  it('sends one publish to 50 sibling inboxes exactly 50 times, whichever processes send them', async () => {
    const coop = await createCoop('speaker')
    const siblings = Array.from({ length: 50 }, (_, i) => servePeerActor(peer, `sibling${i}`, { key: 'ed25519-pem' }))
    await inParallel(siblings.length, 8, async i => {
      const s = siblings[i]
      expect(await sign(`${proxy.url}/u/speaker/inbox`, s, { '@context': AS, id: `${s.id}/follows/speaker`, type: 'Follow', actor: s.id, object: coop.id })).toBe(202)
    })
    await quiet()
    // A slow peer spreads the fan-out over several polls of every process's delivery worker.
    peer.postDelayMs = 100
    const put = await api(proxy, 'PUT', '/api/v1/coops/speaker/services/files', coop.token, { name: 'Speaker Files', category: 'file-hosting', url: 'https://files.speaker.example', access: 'public' })
    expect(put.status).toBe(201)
    const creates = (): string[] => peer.received.filter(r => { const d = JSON.parse(r.body); return d.type === 'Create' && d.object?.id === put.json.id }).map(r => r.path)
    await eventually(async () => creates().length >= siblings.length ? true : undefined, 'the Create at every sibling', 30_000)
    await quiet()
    peer.postDelayMs = 0
    expect(creates()).toHaveLength(50)
    expect(new Set(creates())).toEqual(new Set(siblings.map(s => new URL(s.inbox).pathname)))
  }, 60_000)

  it('signs with the new key in every process once another replaced it', async () => {
    const coop = await createCoop('rotator')
    const watcher = servePeerActor(peer, 'watcher', { key: 'ed25519-pem' })
    expect(await sign(`${proxy.url}/u/rotator/inbox`, watcher, { '@context': AS, id: `${watcher.id}/follows/rotator`, type: 'Follow', actor: watcher.id, object: coop.id })).toBe(202)
    await quiet()
    const publishedKey = async (hub: HubProcess): Promise<string> => (await getActivityJson(`${hub.url}/u/rotator`)).publicKey.publicKeyPem
    const oldKey = await publishedKey(hubs[0])
    // Each process signs a delivery with the key first (a cache would now hold it).
    const publishFrom = async (hub: HubProcess, key: string): Promise<string> => {
      const put = await api(hub, 'PUT', `/api/v1/coops/rotator/services/${key}`, coop.token, { name: `Rotator ${key}`, category: 'chat', url: `https://${key}.rotator.example`, access: 'public' })
      expect(put.status).toBe(201)
      return put.json.id
    }
    const deliveredCreate = async (serviceId: string): Promise<(pem: string) => boolean> => {
      const req = await eventually(async () => peer.postsTo(new URL(watcher.inbox).pathname).find(r => JSON.parse(r.body).object?.id === serviceId), `the Create of ${serviceId}`)
      return pem => verifyReceived(req, pem)
    }
    for (const [i, hub] of hubs.entries()) expect((await deliveredCreate(await publishFrom(hub, `before${i}`)))(oldKey)).toBe(true)

    // Another process (here: the test, through the store) replaces the co-op's key pair.
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
    const store = new SqliteStore(path.join(dataDir, 'hub.sqlite'))
    try {
      const actor = await store.getObject(coop.id, true)
      if (!actor) throw new Error('the co-op actor is not stored')
      const rotated = JSON.parse(JSON.stringify(actor).split(JSON.stringify(oldKey).slice(1, -1)).join(JSON.stringify(pair.publicKey).slice(1, -1)))
      rotated._meta = { ...actor._meta, privateKey: pair.privateKey }
      expect(await store.updateObject(rotated, null, true)).toBeDefined()
    } finally {
      store.close()
    }

    for (const hub of hubs) expect(await publishedKey(hub)).toBe(pair.publicKey)
    for (const [i, hub] of hubs.entries()) {
      const verifies = await deliveredCreate(await publishFrom(hub, `after${i}`))
      expect(verifies(pair.publicKey)).toBe(true)
      expect(verifies(oldKey)).toBe(false)
    }
  })

  it('records each tick of a job scheduled every 2 seconds once, by one of the three', async () => {
    await eventually(async () => count("SELECT COUNT(*) AS n FROM job_runs WHERE job = 'expiry' AND trigger = 'schedule' AND outcome != 'running'") >= 3 ? true : undefined, 'three scheduled runs', 20_000)
    const d = db()
    let runs: Array<{ slot: string, outcome: string }>
    try {
      runs = d.prepare<[], { slot: string, outcome: string }>("SELECT slot, outcome FROM job_runs WHERE job = 'expiry' AND trigger = 'schedule' AND outcome != 'running' ORDER BY slot").all()
    } finally {
      d.close()
    }
    const slots = runs.map(r => Date.parse(r.slot))
    expect(new Set(slots).size).toBe(slots.length)
    expect(slots.every(s => s % 2000 === 0)).toBe(true)
    expect(runs.every(r => r.outcome === 'succeeded')).toBe(true)
    const started = hubs.flatMap(h => h.output().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as { msg?: string, job?: string, slot?: string }))
      .filter(l => l.msg === 'job started' && l.job === 'expiry')
    for (const run of runs) expect(started.filter(l => l.slot === run.slot)).toHaveLength(1)
  })
})
