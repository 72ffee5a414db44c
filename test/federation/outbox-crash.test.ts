import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer } from '../helpers/fake-peer'
import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'
import { postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * A publish is killed (SIGKILL, no shutdown code) right after it was stored and before any
 * delivery was queued: the hub started with HUB_TEST_KILL_AT=outbox-stored kills itself at that
 * point. After a restart the follower receives the activity exactly once and the service is
 * listed: the object, the activity, the listing and the job resolving its audience were stored
 * together.
 */
describe('transactional outbox (SIGKILL between storing and queueing a publish)', () => {
  const AS = 'https://www.w3.org/ns/activitystreams'
  let hub: HubProcess
  let peer: FakePeer

  beforeAll(async () => {
    hub = await startHubProcess()
    peer = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const queues = (): { deliveries: number, resolutions: number } => {
    const db = new Database(path.join(hub.dataDir, 'hub.sqlite'), { readonly: true })
    try {
      const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
      return { deliveries: count('deliveries'), resolutions: count('outbox_resolutions') }
    } finally {
      db.close()
    }
  }

  it('delivers the publish exactly once after the restart and lists the service', async () => {
    const coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'teller', name: 'Teller' })).json
    const follower = servePeerActor(peer, 'reader', { key: 'ed25519-pem' })
    const follow = JSON.stringify({ '@context': AS, id: `${follower.id}/follows/teller`, type: 'Follow', actor: follower.id, object: coop.id })
    const inbox = `${hub.url}/u/teller/inbox`
    expect((await postRaw(inbox, follow, signedHeaders(follower, inbox, follow, { style: 'rfc9421' }))).status).toBe(202)
    await eventually(async () => peer.received.some(r => JSON.parse(r.body).type === 'Accept') ? true : undefined, 'the Accept of the follow')

    // The same data, now with the crash point armed.
    const { dataDir, port, adminToken } = hub
    await hub.stop()
    hub = await startHubProcess({ dataDir, port, adminToken, env: { HUB_TEST_KILL_AT: 'outbox-stored' } })
    const put = await api(hub, 'PUT', '/api/v1/coops/teller/services/files', coop.token, { name: 'Teller Files', category: 'file-hosting', url: 'https://files.teller.example', access: 'public' })
      .then(r => r.status, () => 'connection lost')
    expect(put).toBe('connection lost') // the hub died in the middle of the publish
    await hub.kill() // waits for the exit
    expect(queues()).toEqual({ deliveries: 0, resolutions: 1 })

    hub = await startHubProcess({ dataDir, port, adminToken })
    const serviceId = `${hub.url}/u/teller/services/files`
    const creates = (): number => peer.received.filter(r => {
      const doc = JSON.parse(r.body)
      return doc.type === 'Create' && doc.object?.id === serviceId
    }).length
    await eventually(async () => creates() > 0 ? true : undefined, 'the Create to reach the follower after the restart', 20_000)
    await eventually(async () => { const q = queues(); return q.deliveries === 0 && q.resolutions === 0 ? true : undefined }, 'the queues to empty')
    // A little longer: a second copy (the job resolved twice) would have arrived by now.
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(creates()).toBe(1)
    const listed = (await api(hub, 'GET', '/api/v1/services')).json.items as Array<{ id: string, name: string }>
    expect(listed.map(s => [s.id, s.name])).toEqual([[serviceId, 'Teller Files']])
  })
})

/**
 * A pledge's Offer, killed at the two edges of its publish on the pledger's hub (B), with the
 * steward on another hub (A). Killed as the publish starts, before it is stored, it leaves no
 * pledge behind (the request was never answered). Killed once stored, before any delivery was
 * queued, the Offer reaches the steward after the restart; the steward accepts it once, and the
 * pledge is listed once on each hub with the pool's totals counting it once.
 */
describe('transactional outbox (SIGKILL while a pledge Offer is published)', () => {
  const enc = encodeURIComponent
  let a: HubProcess
  let b: HubProcess
  let beta = { id: '', token: '' }
  let poolId = ''

  beforeAll(async () => {
    [a, b] = await Promise.all([startHubProcess(), startHubProcess()])
    const alpha = (await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha' })).json
    beta = (await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta' })).json
    const opened = await api(a, 'POST', '/api/v1/coops/alpha/pools', alpha.token, {
      name: 'Calendar sync', summary: 'Fund the CalDAV rewrite', beneficiary: { name: 'Upstream', url: 'https://upstream.example' },
      goal: { value: '1000.00', currency: 'EUR' }, period: 'once'
    })
    expect(opened.status).toBe(201)
    poolId = opened.json.id
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  /** Counts in B's database, read while B is down. */
  const onB = (): { pledges: number, resolutions: number, deliveries: number } => {
    const db = new Database(path.join(b.dataDir, 'hub.sqlite'), { readonly: true })
    try {
      const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
      return { pledges: count('pledges'), resolutions: count('outbox_resolutions'), deliveries: count('deliveries') }
    } finally {
      db.close()
    }
  }
  /** Restarts B on its data, with `killAt` armed (or none). */
  const restartB = async (killAt?: string): Promise<void> => {
    const { dataDir, port, adminToken } = b
    await b.stop()
    b = await startHubProcess({ dataDir, port, adminToken, env: killAt ? { HUB_TEST_KILL_AT: killAt } : {} })
  }
  const offer = async (value: string): Promise<number | string> =>
    await api(b, 'POST', '/api/v1/coops/beta/pledges', beta.token, { pool: poolId, amount: { value, currency: 'EUR' }, recurrence: 'once' })
      .then(r => r.status, () => 'connection lost')

  it('leaves no pledge when killed before the Offer is stored, and delivers it once when killed after', async () => {
    await restartB('outbox-storing')
    expect(await offer('25.00')).toBe('connection lost')
    await b.kill()
    expect(onB()).toEqual({ pledges: 0, resolutions: 0, deliveries: 0 })

    await restartB('outbox-stored')
    expect(await offer('40.00')).toBe('connection lost')
    await b.kill()
    expect(onB()).toEqual({ pledges: 1, resolutions: 1, deliveries: 0 })

    await restartB()
    const listedOnB = async (): Promise<any[]> => (await api(b, 'GET', '/api/v1/coops/beta/pledges')).json.items
    await eventually(async () => (await listedOnB())[0]?.status === 'pledged' ? true : undefined, 'the steward to accept the Offer sent after the restart', 20_000)
    const pool = async (): Promise<any> => (await api(a, 'GET', `/api/v1/pools/${enc(poolId)}`)).json
    await eventually(async () => onB().resolutions === 0 && onB().deliveries === 0 ? true : undefined, 'B\'s queues to empty')
    // A little longer: a second copy of the Offer (the job resolved twice) would have arrived by now.
    await new Promise(resolve => setTimeout(resolve, 1_500))
    const onA = await pool()
    expect(onA.pledges.map((p: any) => [p.pledger, p.amount.value, p.status])).toEqual([[beta.id, '40.00', 'pledged']])
    expect(onA.pledged).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '40.00' }])
    const onBNow = await listedOnB()
    expect(onBNow.map(p => [p.offer, p.amount.value, p.status])).toEqual([[onA.pledges[0].offer, '40.00', 'pledged']])
  })
})
