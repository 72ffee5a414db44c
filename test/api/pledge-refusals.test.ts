import { api, AppUnderTest, startAppUnderTest } from '../helpers/app-under-test'
import { toRecord } from '../../src/pools/pool.service'
import type { FundingPool } from '../../src/domain/funding-pool'

/**
 * A pledge the hub can already see the steward would refuse is answered 422 at once, saying why,
 * for a pool of this hub and for another hub's pool by the copy this hub holds; nothing is stored
 * and no Offer is sent.
 */
describe('pledges the hub can already see will be refused', () => {
  let hub: AppUnderTest
  const co: Record<string, { token: string, id: string }> = {}
  let poolId: string
  let remote: FundingPool

  beforeAll(async () => {
    hub = await startAppUnderTest()
    for (const username of ['alpha', 'beta']) co[username] = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: username })).json
    const opened = await api(hub, 'POST', '/api/v1/coops/alpha/pools', co.alpha.token, {
      name: 'Runners', beneficiary: { name: 'Forgejo', url: 'https://forgejo.org' }, goal: { value: '300.00', currency: 'EUR' }, period: 'yearly'
    })
    expect(opened.status).toBe(201)
    poolId = opened.json.id
    // A copy of another hub's pool, as a Create or a sibling sync would have stored it.
    const local = (await hub.hub.store.pools.getPool(poolId))!.object
    remote = { ...local, id: 'https://far.example/u/gamma/pools/p1', attributedTo: 'https://far.example/u/gamma', pledges: 'https://far.example/u/gamma/pools/p1/pledges' }
  })
  afterAll(async () => { await hub?.stop() })

  const pledge = async (pool: string, currency = 'EUR'): Promise<{ status: number, json: any }> =>
    await api(hub, 'POST', '/api/v1/coops/beta/pledges', co.beta.token, { pool, amount: { value: '20.00', currency } })
  const stored = async (): Promise<number> => (await hub.hub.store.pools.listPledges()).length

  it('answers 422 with the reason for a pledge in another currency than the pool\'s', async () => {
    const res = await pledge(poolId, 'USD')
    expect(res.status).toBe(422)
    expect(res.json).toMatchObject({ error: 'refused', message: expect.stringMatching(/pool is in EUR; a pledge in USD cannot be added/) })
    expect(await stored()).toBe(0)
  })

  it.each([
    ['closed', { poolStatus: 'closed' }, /pool is closed and takes no pledges/],
    ['past its deadline', { endTime: '2001-01-01T00:00:00Z' }, /deadline \(2001-01-01T00:00:00Z\) has passed/],
    ['in another currency', { goal: { type: 'MonetaryAmount', currency: 'CHF', value: '100.00' } }, /pool is in CHF/]
  ] as const)('answers 422 for another hub\'s pool whose copy here is %s', async (_what, change, reason) => {
    await hub.hub.store.pools.savePool(toRecord({ ...remote, ...change } as FundingPool, false))
    const res = await pledge(remote.id)
    expect(res.status).toBe(422)
    expect(res.json.message).toMatch(reason)
    expect(await stored()).toBe(0)
  })

  it('still takes a pledge the pool can take (202, offered)', async () => {
    const res = await pledge(poolId)
    expect(res.status).toBe(202)
    expect(res.json.status).toBe('offered')
  })
})
