import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { api } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { toRecord } from '../../src/pools/pool.service'
import { POOL_REFRESH_TIMEOUT_MS } from '../../src/pools/pool-copy-refresh'

/**
 * Copies of another hub's pool: the API gives `refreshedAt` and the page "as of"; a copy older
 * than the pool's last change this hub heard of (the steward accepting a pledge) is fetched again
 * when viewed, and a slow origin gets a short time limit, after which the stored copy is served.
 */
describe('copies of other hubs\' pools', () => {
  let a: TestHub
  let b: TestHub
  let alpha: { token: string, id: string }
  let beta: { token: string, id: string }
  let poolId: string

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestHub(), startTestHub()])
    alpha = (await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha' })).json
    beta = (await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta' })).json
    const opened = await api(a, 'POST', '/api/v1/coops/alpha/pools', alpha.token, {
      name: 'Runners', beneficiary: { name: 'Forgejo', url: 'https://forgejo.org' }, goal: { value: '300.00', currency: 'EUR' }, period: 'yearly'
    })
    expect(opened.status).toBe(201)
    poolId = opened.json.id
  }, 30_000)
  afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]) })

  const poolOn = async (hub: TestHub, id: string): Promise<any> => {
    const res = await api(hub, 'GET', `/api/v1/pools/${encodeURIComponent(id)}`)
    expect(res.status).toBe(200)
    return res.json
  }
  const until = async (check: () => Promise<boolean>, ms: number): Promise<void> => {
    const end = Date.now() + ms
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out')
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  it('fetches the copy again when viewed after the steward accepted a pledge, and says when it is from', async () => {
    const pledged = await api(b, 'POST', '/api/v1/coops/beta/pledges', beta.token, { pool: poolId, amount: { value: '20.00', currency: 'EUR' } })
    expect(pledged.status).toBe(202)
    const first = await poolOn(b, poolId)
    expect(first).toMatchObject({ local: false, refreshedAt: expect.any(String) })
    expect((await poolOn(a, poolId)).refreshedAt).toBeNull()

    // Alpha accepts at once (automatic policy); beta does not follow alpha, so no Update of the pool reaches hub B.
    await until(async () => (await b.hub.store.pools.listPledges({ poolId }))[0]?.state === 'pledged', 15_000)
    const stored = (await b.hub.store.pools.getPool(poolId))!
    expect(stored.object.pledged).toEqual(first.pledged)
    expect(Date.parse(stored.changedAt!)).toBeGreaterThanOrEqual(Date.parse(first.refreshedAt))
    const atOrigin = await poolOn(a, poolId)
    expect(atOrigin.pledged).not.toEqual(first.pledged)

    const viewed = await poolOn(b, poolId)
    expect(viewed.pledged).toEqual(atOrigin.pledged)
    expect(Date.parse(viewed.refreshedAt)).toBeGreaterThan(Date.parse(first.refreshedAt))
    expect((await b.hub.store.pools.getPool(poolId))!.object.pledged).toEqual(atOrigin.pledged)

    const page = await (await fetch(`${b.url}/pools`)).text()
    expect(page).toContain(`Copied from ${new URL(a.url).host}, as of `)
    expect(await (await fetch(`${a.url}/pools`)).text()).not.toContain('Copied from')
  }, 30_000)

  it('serves the stored copy, with its date, when the origin does not answer in time', async () => {
    const sockets: Socket[] = []
    let asked = 0
    // An origin that takes requests and never answers.
    const silent = http.createServer(() => { asked++ })
    silent.on('connection', socket => sockets.push(socket))
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    try {
      const template = (await a.hub.store.pools.getPool(poolId))!.object
      const id = `${origin}/u/gamma/pools/p1`
      await b.hub.store.pools.savePool({ ...toRecord({ ...template, id, attributedTo: `${origin}/u/gamma`, name: 'Silent pool' }, false), refreshedAt: '2026-01-02T03:04:05.000Z' })
      await b.hub.store.pools.notePoolChange(id, '2026-02-01T00:00:00.000Z')

      const started = Date.now()
      const viewed = await poolOn(b, id)
      expect(Date.now() - started).toBeLessThan(POOL_REFRESH_TIMEOUT_MS + 1_500)
      expect(asked).toBeGreaterThan(0)
      expect(viewed).toMatchObject({ name: 'Silent pool', refreshedAt: '2026-01-02T03:04:05.000Z', local: false })

      const page = await (await fetch(`${b.url}/pools`)).text()
      expect(page).toContain(`Copied from 127.0.0.1:${(silent.address() as AddressInfo).port}, as of Jan 2, 2026`)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => silent.close(resolve))
    }
  }, 30_000)
})
