import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * Three hubs as separate processes on loopback. A's co-op opens a funding pool; co-ops on B and
 * C (and a second co-op on A itself) pledge; B withdraws, C's pledge is fulfilled, and every hub
 * shows A's exact totals. A offers a member-exchange agreement to B and C, which becomes active
 * only when both accept, survives an amendment until it is re-accepted, and ends when C
 * terminates it. The three processes are shared by the `it` blocks, in order.
 */
describe('funding pools, pledges and agreements across three hubs', () => {
  let a: HubProcess
  let b: HubProcess
  let c: HubProcess
  const co: Record<string, { id: string, token: string }> = {}
  let poolId = ''

  const enc = encodeURIComponent
  const pool = async (hub: HubProcess): Promise<any> => (await api(hub, 'GET', `/api/v1/pools/${enc(poolId)}`)).json
  const totals = (p: any): string => p ? `${p.pledged.map((t: any) => `${t.value} ${t.currency}`).join()} / ${p.received.map((t: any) => `${t.value} ${t.currency}`).join()} ${p.status}` : 'none'

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startHubProcess(), startHubProcess(), startHubProcess()])
    for (const [hub, username] of [[a, 'alpha'], [a, 'delta'], [b, 'beta'], [c, 'gamma']] as const) {
      const made = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: `${username} co-op` })
      expect(made.status).toBe(201)
      co[username] = { id: made.json.id, token: made.json.token }
    }
    // B's and C's co-ops follow A's, so A's pool updates reach them.
    for (const [hub, username] of [[b, 'beta'], [c, 'gamma']] as const) {
      const follow = await api(hub, 'POST', `/api/v1/coops/${username}/follows`, co[username].token, { target: `alpha@127.0.0.1:${a.port}` })
      expect(follow.status).toBe(202)
      await eventually(async () => (await api(hub, 'GET', `/api/v1/coops/${username}/follows`, co[username].token)).json.items[0]?.state === 'accepted' ? true : undefined, `${username} to be accepted`)
    }
  })

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log(`A:\n${a?.output()}\nB:\n${b?.output()}\nC:\n${c?.output()}`)
    await Promise.all([a?.stop(), b?.stop(), c?.stop()])
  })

  it('pledges in EUR from three co-ops on two other hubs and its own: exact totals everywhere, withdrawal, fulfilment, refusals', async () => {
    const opened = await api(a, 'POST', '/api/v1/coops/alpha/pools', co.alpha.token, {
      name: 'Nextcloud calendar sync', summary: 'Fund the CalDAV sync rewrite', beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' },
      goal: { value: '1000.00', currency: 'EUR' }, period: 'once', paymentLinks: [{ name: 'Open Collective', href: 'https://opencollective.com/example' }]
    })
    expect(opened.status).toBe(201)
    poolId = opened.json.id
    expect(opened.json).toMatchObject({ status: 'open', pledged: [{ currency: 'EUR', value: '0.00' }], local: true })
    // B and C follow A's co-op: they list the pool from its Create.
    await eventually(async () => (await pool(b))?.name === 'Nextcloud calendar sync' ? true : undefined, 'B to list the pool')
    await eventually(async () => (await pool(c))?.name === 'Nextcloud calendar sync' ? true : undefined, 'C to list the pool')

    const pledge = async (hub: HubProcess, username: string, value: string, currency = 'EUR'): Promise<any> => {
      const res = await api(hub, 'POST', `/api/v1/coops/${username}/pledges`, co[username].token, { pool: poolId, amount: { value, currency }, recurrence: 'once' })
      expect(res.status).toBe(202)
      expect(res.json.status).toBe('offered')
      return res.json
    }
    const pledgeOn = async (hub: HubProcess, offer: string): Promise<any> => (await api(hub, 'GET', `/api/v1/pledges/${enc(offer)}`)).json
    const beta = await pledge(b, 'beta', '250.50')
    const gamma = await pledge(c, 'gamma', '100.25')
    // A co-op on the steward's own hub: the Offer goes through A's own inbox over HTTP.
    const delta = await pledge(a, 'delta', '10.00')
    for (const [hub, p] of [[b, beta], [c, gamma], [a, delta]] as const) {
      await eventually(async () => (await pledgeOn(hub, p.offer))?.status === 'pledged' ? true : undefined, `pledge ${p.offer} to be accepted`)
    }
    expect((await pool(a)).pledged).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '360.75' }])

    // B withdraws its pledge.
    const withdrawn = await api(b, 'POST', `/api/v1/pledges/${enc(beta.offer)}/withdraw`, co.beta.token)
    expect(withdrawn.status).toBe(200)
    expect(withdrawn.json.status).toBe('cancelled')
    await eventually(async () => totals(await pool(a)) === '110.25 EUR / 0.00 EUR open' ? true : undefined, 'A to drop the withdrawn pledge')

    // The money from C arrived: A's steward marks C's pledge fulfilled (by its short local id).
    const gammaOnA = (await pool(a)).pledges.find((p: any) => p.offer === gamma.offer)
    expect(gammaOnA.status).toBe('pledged')
    const fulfilled = await api(a, 'POST', `/api/v1/pledges/${gammaOnA.id.split('/').pop()}/fulfil`, co.alpha.token)
    expect(fulfilled.status).toBe(200)
    expect(fulfilled.json.status).toBe('fulfilled')
    expect(totals(await pool(a))).toBe('110.25 EUR / 100.25 EUR open')
    await eventually(async () => (await pledgeOn(c, gamma.offer))?.status === 'fulfilled' ? true : undefined, 'C to see its pledge fulfilled')

    // B and C follow A's co-op and show A's totals exactly.
    for (const hub of [b, c]) {
      await eventually(async () => totals(await pool(hub)) === '110.25 EUR / 100.25 EUR open' ? true : undefined, `${hub.url} to show A's totals`)
    }
    expect((await pool(b)).pledged).toEqual((await pool(a)).pledged)
    expect((await pool(c)).received).toEqual((await pool(a)).received)

    // A USD pledge to a EUR pool: B's copy of the pool shows it, so B refuses it at once, saying why; nothing changes on A.
    const usd = await api(b, 'POST', '/api/v1/coops/beta/pledges', co.beta.token, { pool: poolId, amount: { value: '50.00', currency: 'USD' }, recurrence: 'once' })
    expect(usd.status).toBe(422)
    expect(usd.json.message).toMatch(/pool is in EUR.*USD/)
    expect(totals(await pool(a))).toBe('110.25 EUR / 100.25 EUR open')
    expect((await pool(a)).pledges).toHaveLength(3)

    // Fulfilled pledges cannot be withdrawn any more.
    const late = await api(c, 'POST', `/api/v1/pledges/${enc(gamma.offer)}/withdraw`, co.gamma.token)
    expect(late.status).toBe(409)
    expect(late.json.message).toContain('fulfilled')

    const queue = await eventually(async () => {
      const q = await api(a, 'GET', '/api/v1/admin/deliveries', a.adminToken)
      return q.json.queued === 0 ? q.json : undefined
    }, 'A to finish delivering')
    expect(queue.failures).toEqual([])
  })

  it('an agreement offered by A to B and C is active only when both accept, amended, then terminated by C', async () => {
    const put = async (hub: HubProcess, username: string, key: string, software: string): Promise<string> => {
      const res = await api(hub, 'PUT', `/api/v1/coops/${username}/services/${key}`, co[username].token, {
        name: `${username} ${key}`, category: 'file-hosting', url: `https://${key}.${username}.example`, access: 'agreement', software
      })
      expect(res.status).toBe(201)
      return res.json.id
    }
    const files = await put(a, 'alpha', 'files', 'Nextcloud')
    const cloud = await put(b, 'beta', 'cloud', 'Nextcloud')
    const mail = await put(c, 'gamma', 'mail', 'Roundcube')

    const offered = await api(a, 'POST', '/api/v1/coops/alpha/agreements', co.alpha.token, {
      parties: [co.beta.id, `gamma@127.0.0.1:${c.port}`],
      name: 'Alpha, Beta and Gamma member exchange',
      terms: 'Members of each co-op may use the listed services of the others.',
      services: [{ service: files, quota: 100 }, { party: co.beta.id, service: cloud }, { party: co.gamma.id, service: mail, quota: 20 }],
      startTime: new Date().toISOString(),
      endTime: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString()
    })
    expect(offered.status).toBe(201)
    expect(offered.json).toMatchObject({ status: 'proposed', parties: [co.alpha.id, co.beta.id, co.gamma.id] })
    const id = offered.json.id
    const on = async (hub: HubProcess): Promise<any> => (await api(hub, 'GET', `/api/v1/agreements/${enc(id)}`)).json
    const statusOn = async (hub: HubProcess, status: string, what: string): Promise<any> =>
      await eventually(async () => { const v = await on(hub); return v?.status === status ? v : undefined }, what)

    for (const hub of [b, c]) await statusOn(hub, 'proposed', `${hub.url} to hold the proposal`)
    expect((await api(b, 'GET', '/api/v1/agreements?coop=beta')).json.items.map((x: any) => x.id)).toEqual([id])

    const accepted = await api(b, 'POST', `/api/v1/agreements/${enc(id)}/accept`, co.beta.token)
    expect(accepted.status).toBe(200)
    expect(accepted.json.status).toBe('proposed')
    // A and C learn B's acceptance, and it is still only proposed.
    for (const hub of [a, c]) {
      const v = await eventually(async () => { const x = await on(hub); return x.current.decisions[co.beta.id] === 'accepted' ? x : undefined }, 'B\'s acceptance to spread')
      expect(v.status).toBe('proposed')
    }

    expect((await api(c, 'POST', `/api/v1/agreements/${enc(id)}/accept`, co.gamma.token)).status).toBe(200)
    for (const hub of [a, b, c]) await statusOn(hub, 'active', `${hub.url} to see the agreement active`)

    // The Nextcloud bridge: A's partners running Nextcloud, ready to paste.
    const trusted = await api(a, 'GET', '/api/v1/coops/alpha/trusted-servers')
    expect(trusted.json.urls).toEqual(['https://cloud.beta.example'])
    const text = await fetch(`${a.url}/api/v1/coops/alpha/trusted-servers?format=text`)
    expect(await text.text()).toBe('https://cloud.beta.example\n')

    // B amends the terms: the accepted version stays in force until A and C accept again.
    const amended = await api(b, 'PATCH', `/api/v1/agreements/${enc(id)}`, co.beta.token, { terms: 'Members may use the services; 30 days notice.' })
    expect(amended.status).toBe(200)
    for (const hub of [a, b, c]) {
      const v = await eventually(async () => { const x = await on(hub); return x.pending ? x : undefined }, `${hub.url} to hold the amendment`)
      expect(v.status).toBe('active')
      expect(v.current.terms).toBe('Members of each co-op may use the listed services of the others.')
      expect(v.pending.terms).toBe('Members may use the services; 30 days notice.')
    }
    expect((await api(a, 'POST', `/api/v1/agreements/${enc(id)}/accept`, co.alpha.token)).status).toBe(200)
    expect((await on(a)).current.terms).toBe('Members of each co-op may use the listed services of the others.')
    await eventually(async () => (await on(c)).pending?.decisions[co.alpha.id] === 'accepted' ? true : undefined, 'C to see A accept the amendment')
    expect((await api(c, 'POST', `/api/v1/agreements/${enc(id)}/accept`, co.gamma.token)).status).toBe(200)
    for (const hub of [a, b, c]) {
      await eventually(async () => { const x = await on(hub); return x.current.terms.includes('30 days') && !x.pending ? x : undefined }, `${hub.url} to put the amendment in force`)
    }

    // C terminates it, effective now: A and B see it terminated.
    const ended = await api(c, 'POST', `/api/v1/agreements/${enc(id)}/terminate`, co.gamma.token, { reason: 'We are merging with another co-op' })
    expect(ended.status).toBe(200)
    expect(ended.json.status).toBe('terminated')
    for (const hub of [a, b]) {
      const v = await statusOn(hub, 'terminated', `${hub.url} to see the termination`)
      expect(v.termination.by).toBe(co.gamma.id)
    }
    expect((await api(a, 'GET', '/api/v1/coops/alpha/trusted-servers')).json.urls).toEqual([])
  })
})
