import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * Three hubs as separate processes on loopback: an `approval` umbrella on A, co-ops beta and
 * delta on B, gamma on C. Beta and gamma ask to join and are accepted; every hub shows the same
 * member list; delta is added by the admin; gamma leaves and delta is removed, and every member's
 * hub follows; after every hub restarts, nothing is lost.
 */
describe('umbrella membership across three hubs', () => {
  let a: HubProcess
  let b: HubProcess
  let c: HubProcess
  const co: Record<string, { id: string, token: string }> = {}
  let net: { id: string, token: string }
  const enc = encodeURIComponent

  const membersOn = async (hub: HubProcess): Promise<string> => {
    const ref = hub === a ? 'net' : enc(net.id)
    const res = await api(hub, 'GET', `/api/v1/umbrellas/${ref}/members`)
    return res.status === 200 ? res.json.items.map((m: any) => m.actorId).sort().join(' ') : `status ${res.status}`
  }
  const sameEverywhere = async (expected: string[], what: string, hubs = [a, b, c]): Promise<void> => {
    const want = [...expected].sort().join(' ')
    for (const hub of hubs) {
      await eventually(async () => await membersOn(hub) === want ? true : undefined, `${what} on ${hub.url}: ${want}`)
    }
  }
  const stateOf = async (hub: HubProcess, username: string): Promise<string | undefined> =>
    (await api(hub, 'GET', `/api/v1/coops/${username}/memberships`, co[username].token)).json.items.find((m: any) => m.umbrella === net.id)?.state

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startHubProcess(), startHubProcess(), startHubProcess()])
    const made = await api(a, 'POST', '/api/v1/umbrellas', a.adminToken, { username: 'net', name: 'Network', membershipPolicy: 'approval' })
    expect(made.status).toBe(201)
    net = made.json
    for (const [hub, username] of [[b, 'beta'], [b, 'delta'], [c, 'gamma']] as const) {
      const coop = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: `${username} co-op` })
      expect(coop.status).toBe(201)
      co[username] = coop.json
    }
  })

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log(`A:\n${a?.output()}\nB:\n${b?.output()}\nC:\n${c?.output()}`)
    await Promise.all([a?.stop(), b?.stop(), c?.stop()])
  })

  it('accepts two co-ops on two hubs after approval, and every hub shows the same members', async () => {
    for (const [hub, username] of [[b, 'beta'], [c, 'gamma']] as const) {
      const join = await api(hub, 'POST', `/api/v1/coops/${username}/memberships`, co[username].token, { umbrella: `net@127.0.0.1:${a.port}` })
      expect(join.status).toBe(202)
      expect(join.json.state).toBe('pending')
    }
    const requests = await eventually(async () => {
      const res = await api(a, 'GET', '/api/v1/umbrellas/net/join-requests', net.token)
      return res.json.items.filter((r: any) => r.state === 'pending').length === 2 ? res.json.items : undefined
    }, 'two join requests on A')
    expect(requests.map((r: any) => r.actor).sort()).toEqual([co.beta.id, co.gamma.id].sort())
    expect(await stateOf(b, 'beta')).toBe('pending')
    expect(await membersOn(a)).toBe('')

    for (const request of requests) {
      const answered = await api(a, 'POST', `/api/v1/umbrellas/net/join-requests/${enc(request.id)}/accept`, net.token)
      expect(answered.status).toBe(200)
      expect(answered.json.state).toBe('member')
    }
    const twice = await api(a, 'POST', `/api/v1/umbrellas/net/join-requests/${enc(requests[0].id)}/reject`, net.token)
    expect(twice.status).toBe(409)
    await eventually(async () => await stateOf(b, 'beta') === 'member' ? true : undefined, 'beta to be a member')
    await eventually(async () => await stateOf(c, 'gamma') === 'member' ? true : undefined, 'gamma to be a member')
    await sameEverywhere([co.beta.id, co.gamma.id], 'beta and gamma')
    const listed = await getActivityJson(`${a.url}/u/net/members`)
    expect(listed.orderedItems.sort()).toEqual([co.beta.id, co.gamma.id].sort())
  })

  it('adds a member by the admin, then reflects a Leave and a Remove on every hub', async () => {
    const added = await api(a, 'POST', '/api/v1/umbrellas/net/members', a.adminToken, { actor: co.delta.id })
    expect(added.status).toBe(201)
    expect(added.json).toMatchObject({ actorId: co.delta.id, hub: b.url })
    await sameEverywhere([co.beta.id, co.gamma.id, co.delta.id], 'delta added')

    const left = await api(c, 'POST', '/api/v1/coops/gamma/memberships/leave', co.gamma.token, { umbrella: net.id })
    expect(left.status).toBe(202)
    expect(left.json.state).toBe('left')
    await sameEverywhere([co.beta.id, co.delta.id], 'gamma gone')
    const onC = await membersOn(c)

    const wrongToken = await api(a, 'DELETE', `/api/v1/umbrellas/net/members/${enc(co.delta.id)}`, co.beta.token)
    expect(wrongToken.status).toBe(401)
    const removed = await api(a, 'DELETE', `/api/v1/umbrellas/net/members/${enc(co.delta.id)}`, net.token)
    expect(removed.status).toBe(204)
    // C has no member left (nor a follower of the umbrella): it is no longer told, and keeps the list as it was when gamma left.
    await sameEverywhere([co.beta.id], 'delta removed', [a, b])
    expect(await membersOn(c)).toBe(onC)
    await eventually(async () => await stateOf(b, 'delta') === 'removed' ? true : undefined, 'delta to see its removal')
    expect(await stateOf(c, 'gamma')).toBe('left')
  })

  it('keeps every membership and member list across a restart of every hub', async () => {
    [a, b, c] = await Promise.all([a.restart(), b.restart(), c.restart()])
    for (const hub of [a, b]) expect(await membersOn(hub)).toBe(co.beta.id)
    expect(await membersOn(c)).toBe([co.beta.id, co.delta.id].sort().join(' '))
    expect(await stateOf(b, 'beta')).toBe('member')
    expect(await stateOf(b, 'delta')).toBe('removed')
    expect(await stateOf(c, 'gamma')).toBe('left')
    expect((await api(a, 'GET', '/api/v1/umbrellas/net')).json).toMatchObject({ membershipPolicy: 'approval', members: 1 })
  })
})
