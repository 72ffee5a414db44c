import { buildOpenApiDocument } from '../../src/api/openapi'
import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/** The umbrella API on one hub: creation, edits, token rules, refusals that change nothing, an open Join. */
describe('umbrella API', () => {
  let hub: TestHub
  let umbrella: { id: string, token: string }
  let alpha: { id: string, token: string }

  beforeAll(async () => {
    hub = await startTestHub()
    const made = await api(hub, 'POST', '/api/v1/umbrellas', hub.adminToken, { username: 'net', name: 'Co-op Cloud Network', summary: 'Shared development', membershipPolicy: 'open' })
    expect(made.status).toBe(201)
    umbrella = made.json
    const coop = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha' })
    alpha = coop.json
  })
  afterAll(async () => { await hub?.stop() })

  it('creates a Group actor typed ioo:Umbrella with its collections, policy and a token of its own', async () => {
    expect(umbrella).toEqual({ id: `${hub.url}/u/net`, username: 'net', token: expect.stringMatching(/^ioo_/) })
    const actor = await getActivityJson(umbrella.id)
    expect(actor.type).toEqual(['Group', 'ioo:Umbrella'])
    expect(actor).toMatchObject({
      preferredUsername: 'net', name: 'Co-op Cloud Network', membershipPolicy: 'open',
      members: `${hub.url}/u/net/members`, projects: `${hub.url}/u/net/projects`, decisions: `${hub.url}/u/net/decisions`,
      endpoints: { sharedInbox: `${hub.url}/inbox` }
    })
    const members = await getActivityJson(`${hub.url}/u/net/members`)
    expect(members).toMatchObject({ type: 'OrderedCollection', totalItems: 0 })
    const list = await api(hub, 'GET', '/api/v1/umbrellas')
    expect(list.json.items.map((u: any) => `${u.username}:${u.membershipPolicy}`)).toEqual(['net:open'])
  })

  it('refuses a bad policy, a taken name and a non-admin token, and creates nothing', async () => {
    const bad = await api(hub, 'POST', '/api/v1/umbrellas', hub.adminToken, { username: 'wide', name: 'Wide', membershipPolicy: 'lottery' })
    expect(bad.status).toBe(400)
    expect(bad.json.message).toMatch(/membershipPolicy/)
    const taken = await api(hub, 'POST', '/api/v1/umbrellas', hub.adminToken, { username: 'alpha', name: 'Alpha again', membershipPolicy: 'open' })
    expect(taken.status).toBe(409)
    const notAdmin = await api(hub, 'POST', '/api/v1/umbrellas', alpha.token, { username: 'wide', name: 'Wide', membershipPolicy: 'open' })
    expect(notAdmin.status).toBe(403)
    expect((await api(hub, 'GET', '/api/v1/umbrellas/wide')).status).toBe(404)
    expect((await api(hub, 'GET', '/api/v1/umbrellas')).json.items).toHaveLength(1)
  })

  it('edits only with its own token or the admin\'s: 404 for an unknown umbrella, 403 for another token, 400 for a bad policy', async () => {
    const unknown = await api(hub, 'PATCH', '/api/v1/umbrellas/nobody', hub.adminToken, { name: 'X' })
    expect(unknown.status).toBe(404)
    expect(unknown.json.message).toBe('There is no umbrella "nobody" on this hub')
    const wrong = await api(hub, 'PATCH', '/api/v1/umbrellas/net', alpha.token, { name: 'Hijacked' })
    expect(wrong.status).toBe(403)
    const bad = await api(hub, 'PATCH', '/api/v1/umbrellas/net', umbrella.token, { membershipPolicy: 'lottery' })
    expect(bad.status).toBe(400)
    expect(bad.json.message).toMatch(/membershipPolicy/)
    expect((await api(hub, 'GET', '/api/v1/umbrellas/net')).json).toMatchObject({ name: 'Co-op Cloud Network', membershipPolicy: 'open' })
    const wrongRequests = await api(hub, 'GET', '/api/v1/umbrellas/net/join-requests', alpha.token)
    expect(wrongRequests.status).toBe(403)

    const edited = await api(hub, 'PATCH', '/api/v1/umbrellas/net', umbrella.token, { name: 'Co-op Cloud Network (EU)', membershipPolicy: 'approval' })
    expect(edited.status).toBe(200)
    expect(edited.json).toMatchObject({ name: 'Co-op Cloud Network (EU)', membershipPolicy: 'approval' })
    const actor = await getActivityJson(umbrella.id)
    expect(actor).toMatchObject({ name: 'Co-op Cloud Network (EU)', membershipPolicy: 'approval', publicKey: { id: `${umbrella.id}#main-key` } })
    await api(hub, 'PATCH', '/api/v1/umbrellas/net', umbrella.token, { membershipPolicy: 'open' })
  })

  it('stewards a funding pool with its own token', async () => {
    const pool = await api(hub, 'POST', '/api/v1/coops/net/pools', umbrella.token, {
      name: 'Shared calendar', summary: 'CalDAV sync for every member', beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' },
      goal: { value: '500.00', currency: 'EUR' }, period: 'once'
    })
    expect(pool.status).toBe(201)
    expect(pool.json.steward).toMatchObject({ id: umbrella.id, preferredUsername: 'net' })
  })

  it('refuses to join what is not an umbrella and a body without one, and records nothing', async () => {
    const notUmbrella = await api(hub, 'POST', '/api/v1/coops/net/memberships', umbrella.token, { umbrella: alpha.id })
    expect(notUmbrella.status).toBe(400)
    expect(notUmbrella.json.message).toBe(`${alpha.id} is not an umbrella organisation`)
    const empty = await api(hub, 'POST', '/api/v1/coops/alpha/memberships', alpha.token, {})
    expect(empty.status).toBe(400)
    expect(empty.json.message).toMatch(/umbrella/)
    const wrong = await api(hub, 'POST', '/api/v1/coops/alpha/memberships', umbrella.token, { umbrella: umbrella.id })
    expect(wrong.status).toBe(403)
    expect((await api(hub, 'GET', '/api/v1/coops/alpha/memberships', alpha.token)).json.items).toEqual([])
    expect((await api(hub, 'GET', '/api/v1/coops/net/memberships', umbrella.token)).json.items).toEqual([])
  })

  it('admits a co-op at once when the policy is open, and lists it with its hub', async () => {
    const join = await api(hub, 'POST', '/api/v1/coops/alpha/memberships', alpha.token, { umbrella: `net@127.0.0.1:${new URL(hub.url).port}` })
    expect(join.status).toBe(202)
    expect(join.json).toMatchObject({ umbrella: umbrella.id, state: 'pending' })
    await eventually(async () => (await api(hub, 'GET', '/api/v1/coops/alpha/memberships', alpha.token)).json.items[0]?.state === 'member' ? true : undefined, 'alpha to be a member')
    const members = await api(hub, 'GET', '/api/v1/umbrellas/net/members')
    expect(members.json).toEqual({ umbrella: umbrella.id, items: [{ actorId: alpha.id, hub: hub.url, since: expect.any(String) }] })
    expect(await getActivityJson(`${hub.url}/u/net/members`)).toMatchObject({ totalItems: 1, orderedItems: [alpha.id] })
    const again = await api(hub, 'POST', '/api/v1/coops/alpha/memberships', alpha.token, { umbrella: umbrella.id })
    expect(again.status).toBe(409)
  })
})

describe('OpenAPI document: umbrellas', () => {
  it('covers every umbrella route, with bodies from the schemas', () => {
    const doc = buildOpenApiDocument('https://hub.example', '1.0.0') as any
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/umbrellas', '/api/v1/umbrellas/{username}', '/api/v1/umbrellas/{umbrella}/members', '/api/v1/umbrellas/{username}/members/{member}',
      '/api/v1/umbrellas/{username}/join-requests', '/api/v1/umbrellas/{username}/join-requests/{id}/accept', '/api/v1/umbrellas/{username}/join-requests/{id}/reject',
      '/api/v1/coops/{username}/memberships', '/api/v1/coops/{username}/memberships/leave'
    ]))
    expect(doc.paths['/api/v1/umbrellas'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/UmbrellaCreateRequest' })
    for (const name of ['UmbrellaCreateRequest', 'UmbrellaUpdateRequest', 'MembershipRequest', 'UmbrellaMemberAddRequest']) expect(doc.components.schemas[name]).toBeDefined()
    expect(doc.components.schemas.UmbrellaCreateRequest.properties.membershipPolicy.enum).toEqual(['open', 'approval', 'vote'])
  })
})
