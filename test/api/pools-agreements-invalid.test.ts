import { api, eventually } from '../helpers/hub-process'
import { FakePeer, mastodonSignedHeaders, testKeyPair } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/**
 * Every invalid request about pools, pledges and agreements gets 400, 401, 403 or a federated
 * Reject saying why, and changes nothing. One hub in this process (so the store can be read),
 * its co-ops alpha (a pool steward), beta (a pledger) and gamma, and a fake peer on loopback
 * that signs its own activities.
 */
describe('pools, pledges and agreements refuse bad input and change nothing', () => {
  let hub: TestHub
  let peer: FakePeer
  let keys: { publicKeyPem: string, privateKeyPem: string }
  const co: Record<string, { id: string, token: string }> = {}
  let poolId = ''
  let betaPledge: any
  let agreementId = ''
  let peerActor = ''
  const enc = encodeURIComponent

  beforeAll(async () => {
    hub = await startTestHub()
    for (const username of ['alpha', 'beta', 'gamma']) {
      const made = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: username })
      co[username] = { id: made.json.id, token: made.json.token }
    }
    const pool = await api(hub, 'POST', '/api/v1/coops/alpha/pools', co.alpha.token, {
      name: 'Pool', beneficiary: { name: 'Up', url: 'https://up.example' }, goal: { value: '500.00', currency: 'EUR' }, period: 'monthly'
    })
    poolId = pool.json.id
    const pledge = await api(hub, 'POST', '/api/v1/coops/beta/pledges', co.beta.token, { pool: poolId, amount: { value: '20.00', currency: 'EUR' } })
    betaPledge = await eventually(async () => {
      const p = (await api(hub, 'GET', `/api/v1/pledges/${enc(pledge.json.offer)}`)).json
      return p.status === 'pledged' ? p : undefined
    }, 'the local pledge to be accepted through the local inbox')
    const agreement = await api(hub, 'POST', '/api/v1/coops/alpha/agreements', co.alpha.token, {
      parties: [co.beta.id], terms: 'T', services: [{ service: `${hub.url}/u/alpha/services/files` }], startTime: new Date().toISOString()
    })
    agreementId = agreement.json.id

    peer = await new FakePeer().start()
    keys = testKeyPair()
    peerActor = `${peer.origin}/users/mallory`
    peer.serve('/users/mallory', {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: peerActor, type: 'Organization', preferredUsername: 'mallory', inbox: `${peer.origin}/users/mallory/inbox`,
      publicKey: { id: `${peerActor}#main-key`, owner: peerActor, publicKeyPem: keys.publicKeyPem }
    })
  })

  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  /** Everything the hub holds about pools, pledges and agreements, to compare before and after. */
  async function snapshot (): Promise<string> {
    const pools = await hub.hub.store.pools.listPools()
    const pledges = await hub.hub.store.pools.listPledges()
    const agreements = await hub.hub.store.agreements.listAgreements()
    return JSON.stringify({ pools, pledges, agreements })
  }

  const pool = (extra: Record<string, unknown>): Record<string, unknown> => ({
    name: 'P', beneficiary: { name: 'Up', url: 'https://up.example' }, goal: { value: '10.00', currency: 'EUR' }, period: 'once', ...extra
  })
  const pledge = (amount: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ pool: poolId, amount, ...extra })
  const agreement = (extra: Record<string, unknown>): Record<string, unknown> => ({
    parties: [co.beta.id], terms: 'T', services: [{ service: `${hub.url}/u/alpha/services/files` }], startTime: new Date().toISOString(), ...extra
  })

  type Case = [string, string, () => string, string | undefined, () => unknown, number, RegExp?]
  const cases: Case[] = [
    ['pool without a name', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => { const p = pool({}); delete p.name; return p }, 400, /name is required/],
    ['goal value as a JSON number', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ goal: { value: 100, currency: 'EUR' } }), 400, /goal.value must be string/],
    ['goal currency not three capitals', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ goal: { value: '1.00', currency: 'EURO' } }), 400, /ISO 4217/],
    ['goal currency not in ISO 4217', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ goal: { value: '1.00', currency: 'ABC' } }), 400, /not an ISO 4217/],
    ['goal "1e3"', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ goal: { value: '1e3', currency: 'EUR' } }), 400, /decimal string/],
    ['goal "0.001" EUR', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ goal: { value: '0.001', currency: 'EUR' } }), 400, /EUR has 2 decimals/],
    ['goal "1.5" JPY', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ goal: { value: '1.5', currency: 'JPY' } }), 400, /JPY has no decimals/],
    ['unknown period word', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ period: 'weekly' }), 400, /period must be one of: once, monthly, yearly/],
    ['beneficiary url not http', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ beneficiary: { name: 'X', url: 'ftp://x.example' } }), 400, /beneficiary.url/],
    ['unknown field', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ colour: 'red' }), 400, /colour is not a known field/],
    ['deadline in the past', 'POST', () => '/api/v1/coops/alpha/pools', 'alpha', () => pool({ deadline: '2020-01-01T00:00:00Z' }), 400, /deadline must be in the future/],
    ['no token', 'POST', () => '/api/v1/coops/alpha/pools', undefined, () => pool({}), 401],
    ['beta opens a pool for alpha', 'POST', () => '/api/v1/coops/alpha/pools', 'beta', () => pool({}), 403],
    ['unknown pool status word', 'PATCH', () => `/api/v1/pools/${enc(poolId)}`, 'alpha', () => ({ status: 'paused' }), 400, /status must be one of: closed, cancelled/],
    ['empty pool patch', 'PATCH', () => `/api/v1/pools/${enc(poolId)}`, 'alpha', () => ({}), 400],
    ['beta edits alpha\'s pool', 'PATCH', () => `/api/v1/pools/${enc(poolId)}`, 'beta', () => ({ name: 'Mine now' }), 403],
    ['currency change with pledges', 'PATCH', () => `/api/v1/pools/${enc(poolId)}`, 'alpha', () => ({ goal: { value: '5.00', currency: 'USD' } }), 400, /currency cannot change/],
    ['beta deletes alpha\'s pool', 'DELETE', () => `/api/v1/pools/${enc(poolId)}`, 'beta', () => undefined, 403],
    ['pool id that is neither id nor IRI', 'GET', () => '/api/v1/pools/not%20an%20id', undefined, () => undefined, 400],
    ['pledge "0.001" EUR', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '0.001', currency: 'EUR' }), 400, /EUR has 2 decimals/],
    ['pledge "-5.00"', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '-5.00', currency: 'EUR' }), 400, /decimal string/],
    ['pledge "1e3"', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '1e3', currency: 'EUR' }), 400, /decimal string/],
    ['pledge "0.00"', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '0.00', currency: 'EUR' }), 400, /greater than zero/],
    ['pledge currency in lower case', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '5.00', currency: 'eur' }), 400, /ISO 4217/],
    ['pledge without amount', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => ({ pool: poolId }), 400, /amount is required/],
    ['unknown recurrence word', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '5.00', currency: 'EUR' }, { recurrence: 'weekly' }), 400, /recurrence must be one of/],
    ['pledge pool not a URL', 'POST', () => '/api/v1/coops/beta/pledges', 'beta', () => pledge({ value: '5.00', currency: 'EUR' }, { pool: 'pool-1' }), 400],
    ['steward pledges to its own pool', 'POST', () => '/api/v1/coops/alpha/pledges', 'alpha', () => pledge({ value: '5.00', currency: 'EUR' }), 400, /stewards/],
    ['alpha pledges in beta\'s name', 'POST', () => '/api/v1/coops/beta/pledges', 'alpha', () => pledge({ value: '5.00', currency: 'EUR' }), 403],
    ['the pledger marks its own pledge fulfilled', 'POST', () => `/api/v1/pledges/${enc(betaPledge.offer)}/fulfil`, 'beta', () => undefined, 403],
    ['the steward withdraws beta\'s pledge', 'POST', () => `/api/v1/pledges/${enc(betaPledge.offer)}/withdraw`, 'alpha', () => undefined, 403],
    ['gamma accepts beta\'s pledge', 'POST', () => `/api/v1/pledges/${enc(betaPledge.offer)}/accept`, 'gamma', () => undefined, 403],
    ['agreement without parties', 'POST', () => '/api/v1/coops/alpha/agreements', 'alpha', () => agreement({ parties: [] }), 400, /parties/],
    ['agreement quota 0', 'POST', () => '/api/v1/coops/alpha/agreements', 'alpha', () => agreement({ services: [{ service: `${hub.url}/u/alpha/services/files`, quota: 0 }] }), 400, /quota/],
    ['agreement start "tomorrow"', 'POST', () => '/api/v1/coops/alpha/agreements', 'alpha', () => agreement({ startTime: 'tomorrow' }), 400, /startTime/],
    ['agreement ending before it starts', 'POST', () => '/api/v1/coops/alpha/agreements', 'alpha', () => agreement({ endTime: '2001-01-01T00:00:00Z' }), 400, /ends before it starts/],
    ['agreement service of a non-party', 'POST', () => '/api/v1/coops/alpha/agreements', 'alpha', () => agreement({ services: [{ party: co.gamma.id, service: `${hub.url}/u/gamma/services/x` }] }), 400, /not a party/],
    ['gamma accepts an agreement it is not party to', 'POST', () => `/api/v1/agreements/${enc(agreementId)}/accept`, 'gamma', () => undefined, 403],
    ['beta terminates an agreement not in force', 'POST', () => `/api/v1/agreements/${enc(agreementId)}/terminate`, 'beta', () => undefined, 409],
    ['accept with an unknown field', 'POST', () => `/api/v1/agreements/${enc(agreementId)}/accept`, 'beta', () => ({ vote: 'yes' }), 400, /vote is not a known field/]
  ]

  it.each(cases.map(c => [`${c[0]} (${c[1]}) → ${c[5]}`, c] as const))('%s', async (_title, [, method, path, who, body, status, message]) => {
    const before = await snapshot()
    const res = await api(hub, method, path(), who ? co[who].token : undefined, body())
    expect(res.status).toBe(status)
    expect(res.json).toMatchObject({ error: expect.any(String), message: expect.any(String) })
    if (message) expect(res.json.message).toMatch(message)
    expect(await snapshot()).toBe(before)
  })

  /** POSTs an activity signed by the fake peer to a co-op's inbox. */
  async function deliver (username: string, activity: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', ...activity })
    const url = `${hub.url}/u/${username}/inbox`
    const res = await fetch(url, { method: 'POST', headers: mastodonSignedHeaders({ url, body, keyId: `${peerActor}#main-key`, privateKeyPem: keys.privateKeyPem }), body })
    return res.status
  }

  const offer = (n: string, amount: unknown, pledger?: string): Record<string, unknown> => ({
    id: `${peer.origin}/activities/${n}`,
    type: 'Offer',
    actor: peerActor,
    to: [co.alpha.id],
    object: {
      '@context': { ioo: 'https://w3id.org/ioocloud/ns#', vf: 'https://w3id.org/valueflows/ont/vf#', schema: 'http://schema.org/', pledger: { '@id': 'ioo:pledger', '@type': '@id' }, amount: 'ioo:amount', recurrence: 'ioo:recurrence', currency: 'schema:currency', value: 'schema:value' },
      type: ['vf:Agreement', 'ioo:Pledge'], context: poolId, pledger: pledger ?? peerActor, amount, recurrence: 'once'
    }
  })

  async function rejectionOf (n: string): Promise<any> {
    return await eventually(async () => {
      const found = peer.postsTo('/users/mallory/inbox').map(r => JSON.parse(r.body)).find(a => a.type === 'Reject' && a.object === `${peer.origin}/activities/${n}`)
      return found
    }, `the Reject of ${n}`)
  }

  it.each([
    ['a negative amount', 'neg', { type: 'MonetaryAmount', currency: 'EUR', value: '-5.00' }, undefined, /amount\.value must be a decimal string/],
    ['an amount as a JSON number', 'num', { currency: 'EUR', value: 5 }, undefined, /amount\.value must be string/],
    ['"0.001" in a two-decimal currency', 'milli', { currency: 'EUR', value: '0.001' }, undefined, /EUR has 2 decimals/],
    ['a USD pledge to a EUR pool', 'usd', { currency: 'USD', value: '5.00' }, undefined, /pool is in EUR; a pledge in USD/],
    ['a pledge in another co-op\'s name', 'proxy', { currency: 'EUR', value: '5.00' }, 'beta', /is not the actor who offered it/]
  ])('a federated Offer of %s gets a Reject that says why', async (_name, n, amount, pledger, why) => {
    const before = await snapshot()
    expect(await deliver('alpha', offer(n, amount, pledger ? co[pledger].id : undefined))).toBe(202)
    const reject = await rejectionOf(n)
    expect(reject.actor).toBe(co.alpha.id)
    expect(reject.summary).toMatch(why)
    await hub.hub.inbox.idle()
    expect(await snapshot()).toBe(before)
  })

  it('a repeated Offer with the same id changes nothing', async () => {
    expect(await deliver('alpha', offer('once', { currency: 'EUR', value: '7.00' }))).toBe(202)
    const accepted = await eventually(async () => peer.postsTo('/users/mallory/inbox').map(r => JSON.parse(r.body)).find(a => a.type === 'Accept' && a.object === `${peer.origin}/activities/once`), 'the Accept')
    expect(accepted.result.pledgeStatus).toBe('pledged')
    await eventually(async () => (await api(hub, 'GET', `/api/v1/pools/${enc(poolId)}`)).json.pledged[0].value === '27.00' ? true : undefined, 'the total to count it')
    const before = await snapshot()
    expect(await deliver('alpha', offer('once', { currency: 'EUR', value: '7.00' }))).toBe(202)
    await hub.hub.inbox.idle()
    expect(await snapshot()).toBe(before)
    expect(peer.postsTo('/users/mallory/inbox').map(r => JSON.parse(r.body)).filter(a => a.type === 'Accept')).toHaveLength(1)
  })

  it('a stranger cannot accept an agreement or withdraw someone else\'s pledge (403 at the inbox)', async () => {
    const offerOfAgreement = (await hub.hub.store.agreements.getAgreement(agreementId))?.versions[0].activityId
    const before = await snapshot()
    expect(await deliver('alpha', { id: `${peer.origin}/activities/acc`, type: 'Accept', actor: peerActor, to: [co.alpha.id], object: offerOfAgreement })).toBe(403)
    expect(await deliver('alpha', { id: `${peer.origin}/activities/undo`, type: 'Undo', actor: peerActor, to: [co.alpha.id], object: betaPledge.offer })).toBe(403)
    expect(await snapshot()).toBe(before)
  })
})
