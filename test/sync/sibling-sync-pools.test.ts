import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * Sibling sync catches up on funding pools from a followed co-op's `ioo:fundingPools`
 * collection, like it does for services. B's co-op follows A's; B is down while A opens a pool,
 * edits another and deletes a third; the next sibling sync on B adds, changes and forgets them
 * (its counts show the catch-up came from the sync, not from A's delivery retry, which waits at
 * least 24 s). The collections A serves are checked too: actor, pools, agreements, pledges.
 */
describe('sibling sync of funding pools', () => {
  let a: HubProcess
  let b: HubProcess
  const enc = encodeURIComponent

  beforeAll(async () => {
    [a, b] = await Promise.all([startHubProcess(), startHubProcess()])
  })

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log('A:\n' + a?.output() + '\nB:\n' + b?.output())
    await Promise.all([a?.stop(), b?.stop()])
  })

  const poolsOnB = async (): Promise<Array<{ id: string, name: string, status: string }>> =>
    (await api(b, 'GET', '/api/v1/pools?local=false')).json.items.map((p: any) => ({ id: p.id, name: p.name, status: p.status })).sort((x: any, y: any) => x.name.localeCompare(y.name))
  const runSiblings = async (): Promise<any> => {
    const res = await api(b, 'POST', '/api/v1/jobs/siblings/runs', b.adminToken)
    expect(res.status).toBe(201)
    return res.json
  }

  it('adds, changes and forgets pools a sibling changed while this hub was down', async () => {
    const alpha = (await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha Co-op' })).json
    const beta = (await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta Co-op' })).json
    expect((await api(b, 'POST', '/api/v1/coops/beta/follows', beta.token, { target: `alpha@127.0.0.1:${a.port}` })).status).toBe(202)
    await eventually(async () => (await api(b, 'GET', '/api/v1/coops/beta/follows', beta.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'beta\'s follow to be accepted')

    // The actor names its three collections; each is an OrderedCollection A serves.
    const actor = await getActivityJson(alpha.id)
    expect(actor).toMatchObject({ services: `${alpha.id}/services`, fundingPools: `${alpha.id}/pools`, agreements: `${alpha.id}/agreements` })

    const open = async (name: string): Promise<string> => {
      const res = await api(a, 'POST', '/api/v1/coops/alpha/pools', alpha.token, {
        name, beneficiary: { name: 'Forgejo', url: 'https://forgejo.org' }, goal: { value: '300.00', currency: 'EUR' }, period: 'yearly'
      })
      expect(res.status).toBe(201)
      return res.json.id
    }
    const kept = await open('Forgejo runners')
    const dropped = await open('Old idea')
    await eventually(async () => (await poolsOnB()).length === 2 ? true : undefined, 'B to list both pools')

    const pools = await getActivityJson(actor.fundingPools)
    expect(pools).toMatchObject({ type: 'OrderedCollection', totalItems: 2, attributedTo: alpha.id })
    expect(pools.orderedItems.map((p: any) => p.id).sort()).toEqual([kept, dropped].sort())
    expect(pools.orderedItems[0].pledges).toBe(`${pools.orderedItems[0].id}/pledges`)
    expect(await getActivityJson(`${kept}/pledges`)).toMatchObject({ type: 'OrderedCollection', totalItems: 0, attributedTo: alpha.id })
    expect(await getActivityJson(actor.agreements)).toMatchObject({ type: 'OrderedCollection', totalItems: 0 })
    expect((await fetch(`${a.url}/u/nobody/pools`, { headers: { accept: 'application/activity+json' } })).status).toBe(404)

    // B goes down; meanwhile A opens a pool, renames one and deletes the other.
    await b.stop()
    const added = await open('Matrix bridges')
    expect((await api(a, 'PATCH', `/api/v1/pools/${enc(kept)}`, alpha.token, { name: 'Forgejo CI runners' })).status).toBe(200)
    expect((await api(a, 'DELETE', `/api/v1/pools/${enc(dropped)}`, alpha.token)).status).toBe(204)
    await eventually(async () => (a.output().match(/delivery: will retry/g) ?? []).length >= 3 ? true : undefined, 'A to fail its deliveries to B')

    b = await b.restart()
    expect((await poolsOnB()).map(p => p.name)).toEqual(['Forgejo runners', 'Old idea'])
    const run = await runSiblings()
    expect(run).toMatchObject({ outcome: 'succeeded', counts: { added: 1, changed: 1, unchanged: 0, gone: 1, rejected: 0 } })
    expect(run.details[0].collections).toEqual({
      services: { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 },
      pools: { added: 1, changed: 1, unchanged: 0, gone: 1, rejected: 0 }
    })
    expect(await poolsOnB()).toEqual([
      { id: kept, name: 'Forgejo CI runners', status: 'open' },
      { id: added, name: 'Matrix bridges', status: 'open' }
    ])
    // A second sync finds nothing new.
    expect((await runSiblings()).counts).toEqual({ added: 0, changed: 0, unchanged: 2, gone: 0, rejected: 0 })

    // A pledge A accepts is listed in the pool's `ioo:pledges` collection.
    const pledge = await api(b, 'POST', '/api/v1/coops/beta/pledges', beta.token, { pool: added, amount: { value: '25.00', currency: 'EUR' }, recurrence: 'once' })
    expect(pledge.status).toBe(202)
    const pledges = await eventually(async () => {
      const c = await getActivityJson(`${added}/pledges`)
      return c.totalItems === 1 ? c : undefined
    }, 'A to list the accepted pledge')
    expect(pledges.orderedItems[0]).toMatchObject({ type: ['vf:Agreement', 'ioo:Pledge'], pledger: beta.id, context: added, pledgeStatus: 'pledged', amount: { currency: 'EUR', value: '25.00' } })
  })
})
