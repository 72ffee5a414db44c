import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * Catch-up on follow, between two hub processes with every scheduled job off: alpha on A lists
 * two services and opens a pool before anyone follows it; when beta on B follows alpha, B lists
 * them soon after the Accept (from alpha's collections), with no sync run. Deliveries cannot
 * explain it: A sent them before B followed, to no one.
 */
describe('catch-up on follow', () => {
  let a: HubProcess
  let b: HubProcess

  beforeAll(async () => {
    [a, b] = await Promise.all([startHubProcess(), startHubProcess()])
  })

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log('A:\n' + a?.output() + '\nB:\n' + b?.output())
    await Promise.all([a?.stop(), b?.stop()])
  })

  it('lists what a co-op published before the follow, within 15 s of the Accept', async () => {
    const alpha = (await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha Co-op', url: 'https://alpha.example' })).json
    const beta = (await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta Co-op' })).json
    const mail = await api(a, 'PUT', '/api/v1/coops/alpha/services/mail', alpha.token, { name: 'Alpha Mail', category: 'email', url: 'https://mail.alpha.example', access: 'members' })
    const files = await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.token, { name: 'Alpha Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'members', software: 'Nextcloud' })
    const pool = await api(a, 'POST', '/api/v1/coops/alpha/pools', alpha.token, {
      name: 'Forgejo runners', beneficiary: { name: 'Forgejo', url: 'https://forgejo.org' }, goal: { value: '300.00', currency: 'EUR' }, period: 'yearly'
    })
    expect([mail.status, files.status, pool.status]).toEqual([201, 201, 201])

    expect((await api(b, 'POST', '/api/v1/coops/beta/follows', beta.token, { target: `alpha@127.0.0.1:${a.port}` })).status).toBe(202)
    await eventually(async () => (await api(b, 'GET', '/api/v1/coops/beta/follows', beta.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'beta\'s follow to be accepted')

    // From here on, 15 s at most: the catch-up runs at once, not on a schedule.
    const entry = await eventually(async () => {
      const e = (await api(b, 'GET', '/api/v1/directory')).json.items?.find((x: any) => x.actor === alpha.id)
      return e?.services?.length === 2 ? e : undefined
    }, 'B\'s directory to list both of alpha\'s services', 15_000)
    expect(entry.services.map((s: any) => s.name).sort()).toEqual(['Alpha Files', 'Alpha Mail'])
    const pools = await eventually(async () => {
      const items = (await api(b, 'GET', '/api/v1/pools?local=false')).json.items
      return items.length === 1 ? items : undefined
    }, 'B\'s pools to list alpha\'s pool', 15_000)
    expect(pools[0]).toMatchObject({ id: pool.json.id, name: 'Forgejo runners', status: 'open' })

    // The entry's page on B shows both services.
    const page = await fetch(`${b.url}/directory/${encodeURIComponent(entry.id)}`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Alpha Mail')
    expect(html).toContain('Alpha Files')
    // No sync job ran on B: the catch-up came from the follow.
    expect((await api(b, 'GET', '/api/v1/jobs', b.adminToken)).json.items.every((j: any) => j.lastRun == null)).toBe(true)
  })
})
