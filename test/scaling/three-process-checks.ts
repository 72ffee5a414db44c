/**
 * The checks three hub processes behind one round-robin proxy must pass, whichever store they
 * share: each test file starts its processes on its own store and says how to read it.
 */
import crypto from 'crypto'
import { FakePeer, verifyReceived } from '../helpers/fake-peer'
import { api, eventually, getActivityJson, HubProcess } from '../helpers/hub-process'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'
import { RoundRobinProxy } from '../helpers/round-robin-proxy'
import type { HubStore } from '../../src/store/store.port'

export const AS = 'https://www.w3.org/ns/activitystreams'

/** The processes under test and how to read the store they share. */
export interface ThreeProcesses {
  proxy: RoundRobinProxy
  peer: FakePeer
  hubs: HubProcess[]
  adminToken: string
  /** Rows of a read-only query on the shared store (`?` for each parameter). */
  query: <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>
  /** Opens the shared store in the test, as another process would. */
  openStore: () => Promise<HubStore>
}

/** The `n` a `SELECT COUNT(*) AS n …` answers. */
export async function count (setup: ThreeProcesses, sql: string): Promise<number> {
  return Number((await setup.query<{ n: number | string }>(sql))[0].n)
}

/** A Follow (or any activity) signed by `actor` (RFC 9421) and POSTed to `url`; answers the status. */
export async function sign (url: string, actor: PeerActor, doc: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify(doc)
  return (await postRaw(url, body, signedHeaders(actor, url, body, { style: 'rfc9421' }))).status
}

/** Runs `work` for 0..total-1, `width` at a time. */
export async function inParallel (total: number, width: number, work: (n: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => { while (next < total) await work(next++) }))
}

/** Creates a co-op through the proxy. */
export async function createCoop (setup: ThreeProcesses, username: string): Promise<{ id: string, token: string }> {
  const made = await api(setup.proxy, 'POST', '/api/v1/coops', setup.adminToken, { username, name: `${username} co-op` })
  expect(made.status).toBe(201)
  return made.json
}

/** Waits until the delivery queue and the inbox journal are empty. */
export async function quiet (setup: ThreeProcesses, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => await count(setup, 'SELECT COUNT(*) AS n FROM deliveries') === 0 && await count(setup, 'SELECT COUNT(*) AS n FROM inbox_journal') === 0 ? true : undefined,
    'the queue and the inbox journal to empty', timeoutMs)
}

/** All three serve the one instance actor key stored, and all three are registered. */
export async function checkOneInstanceKey (setup: ThreeProcesses): Promise<void> {
  const keys = await Promise.all(setup.hubs.map(async h => (await getActivityJson(`${h.url}/actor`)).publicKey.publicKeyPem as string))
  expect(new Set(keys).size).toBe(1)
  expect(await count(setup, 'SELECT COUNT(*) AS n FROM hub_processes')).toBe(3)
}

/** 300 signed Follows, each POSTed to two processes at the same moment: each stored once and answered by one Accept. */
export async function checkInboundProcessedOnce (setup: ThreeProcesses): Promise<void> {
  const { proxy, peer } = setup
  const coop = await createCoop(setup, 'listener')
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
  await quiet(setup)
  const rows = await setup.query<{ id: string }>("SELECT id FROM streams WHERE type = 'Follow' AND id LIKE ?", [`${peer.origin}/%`])
  expect(rows).toHaveLength(TOTAL)
  expect(new Set(rows.map(r => r.id))).toEqual(new Set(Array.from({ length: TOTAL }, (_, n) => followId(n))))
  // Processed once: one Accept per Follow, no more (a second run would send a second one).
  const sent = accepts()
  expect([...sent.values()].filter(c => c !== 1)).toEqual([])
  expect(sent.size).toBe(TOTAL)
}

/** One publish to 50 sibling inboxes is delivered exactly 50 times, whichever processes send it. */
export async function checkFanOutSentOnce (setup: ThreeProcesses): Promise<void> {
  const { proxy, peer } = setup
  const coop = await createCoop(setup, 'speaker')
  const siblings = Array.from({ length: 50 }, (_, i) => servePeerActor(peer, `sibling${i}`, { key: 'ed25519-pem' }))
  await inParallel(siblings.length, 8, async i => {
    const s = siblings[i]
    expect(await sign(`${proxy.url}/u/speaker/inbox`, s, { '@context': AS, id: `${s.id}/follows/speaker`, type: 'Follow', actor: s.id, object: coop.id })).toBe(202)
  })
  await quiet(setup)
  // A slow peer spreads the fan-out over several claims of every process's delivery worker.
  peer.postDelayMs = 100
  const put = await api(proxy, 'PUT', '/api/v1/coops/speaker/services/files', coop.token, { name: 'Speaker Files', category: 'file-hosting', url: 'https://files.speaker.example', access: 'public' })
  expect(put.status).toBe(201)
  const creates = (): string[] => peer.received.filter(r => { const d = JSON.parse(r.body); return d.type === 'Create' && d.object?.id === put.json.id }).map(r => r.path)
  await eventually(async () => creates().length >= siblings.length ? true : undefined, 'the Create at every sibling', 30_000)
  await quiet(setup)
  peer.postDelayMs = 0
  expect(creates()).toHaveLength(50)
  expect(new Set(creates())).toEqual(new Set(siblings.map(s => new URL(s.inbox).pathname)))
}

/** After another process replaced a co-op's key pair, every process serves and signs with the new one. */
export async function checkReplacedKeyUsedByAll (setup: ThreeProcesses): Promise<void> {
  const { proxy, peer, hubs } = setup
  const coop = await createCoop(setup, 'rotator')
  const watcher = servePeerActor(peer, 'watcher', { key: 'ed25519-pem' })
  expect(await sign(`${proxy.url}/u/rotator/inbox`, watcher, { '@context': AS, id: `${watcher.id}/follows/rotator`, type: 'Follow', actor: watcher.id, object: coop.id })).toBe(202)
  await quiet(setup)
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
  const store = await setup.openStore()
  try {
    const actor = await store.getObject(coop.id, true)
    if (!actor) throw new Error('the co-op actor is not stored')
    const rotated = JSON.parse(JSON.stringify(actor).split(JSON.stringify(oldKey).slice(1, -1)).join(JSON.stringify(pair.publicKey).slice(1, -1)))
    rotated._meta = { ...actor._meta, privateKey: pair.privateKey }
    expect(await store.updateObject(rotated, null, true)).toBeDefined()
  } finally {
    await store.close()
  }

  for (const hub of hubs) expect(await publishedKey(hub)).toBe(pair.publicKey)
  for (const [i, hub] of hubs.entries()) {
    const verifies = await deliveredCreate(await publishFrom(hub, `after${i}`))
    expect(verifies(pair.publicKey)).toBe(true)
    expect(verifies(oldKey)).toBe(false)
  }
}

/** A job scheduled every 2 seconds (HUB_SCHEDULE_EXPIRY) is recorded once per tick, started by one process. */
export async function checkJobOncePerTick (setup: ThreeProcesses): Promise<void> {
  const finished = "FROM job_runs WHERE job = 'expiry' AND trigger = 'schedule' AND outcome != 'running'"
  await eventually(async () => await count(setup, `SELECT COUNT(*) AS n ${finished}`) >= 3 ? true : undefined, 'three scheduled runs', 20_000)
  const runs = await setup.query<{ slot: string, outcome: string }>(`SELECT slot, outcome ${finished} ORDER BY slot`)
  const slots = runs.map(r => Date.parse(r.slot))
  expect(new Set(slots).size).toBe(slots.length)
  expect(slots.every(s => s % 2000 === 0)).toBe(true)
  expect(runs.every(r => r.outcome === 'succeeded')).toBe(true)
  const started = setup.hubs.flatMap(h => h.output().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as { msg?: string, job?: string, slot?: string }))
    .filter(l => l.msg === 'job started' && l.job === 'expiry')
  for (const run of runs) expect(started.filter(l => l.slot === run.slot)).toHaveLength(1)
}

/**
 * Registers the checks every store must pass as tests of the calling `describe`, in order:
 * inbound processed once, one publish sent once per inbox, a replaced key used by all, each tick
 * of a job run once. `setup` is read when each test runs (after the file's `beforeAll`).
 */
export function registerSharedChecks (setup: () => ThreeProcesses): void {
  it('stores and processes each of 300 signed inbound activities once, each POSTed to two processes at the same moment', async () => {
    await checkInboundProcessedOnce(setup())
  }, 90_000)

  it('sends one publish to 50 sibling inboxes exactly 50 times, whichever processes send them', async () => {
    await checkFanOutSentOnce(setup())
  }, 60_000)

  it('signs with the new key in every process once another replaced it', async () => {
    await checkReplacedKeyUsedByAll(setup())
  })

  it('records each tick of a job scheduled every 2 seconds once, by one of the three', async () => {
    await checkJobOncePerTick(setup())
  })
}
