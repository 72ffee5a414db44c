import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * Sibling sync between real hub processes on loopback. B's co-op follows A's; B is down while A
 * publishes a service and deletes another; the next sibling sync on B catches up (its counts
 * show the catch-up came from the sync, not from A's delivery retry, which waits at least 24 s).
 * Then A goes down: after repeated failures B marks it unreachable, in its API and directory,
 * and reachable again once A answers. A co-op A's hub follows (on C) is suggested to B's admin.
 */
describe('sibling sync', () => {
  let a: HubProcess
  let b: HubProcess
  let c: HubProcess
  const envB = { HUB_SIBLING_UNREACHABLE_AFTER: '2', HUB_SYNC_TIMEOUT_SECONDS: '2' }

  beforeAll(async () => {
    [a, c] = await Promise.all([startHubProcess(), startHubProcess()])
    b = await startHubProcess({ env: envB })
  })

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log('A:\n' + a?.output() + '\nB:\n' + b?.output())
    await Promise.all([a?.stop(), b?.stop(), c?.stop()])
  })

  const servicesOnB = async (): Promise<any[]> => (await api(b, 'GET', '/api/v1/services')).json.items
  const runSiblings = async (): Promise<any> => {
    const res = await api(b, 'POST', '/api/v1/jobs/siblings/runs', b.adminToken)
    expect(res.status).toBe(201)
    return res.json
  }

  it('catches up on what a sibling published while this hub was down, and tracks reachability', async () => {
    const alpha = (await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha Co-op', url: 'https://alpha.example' })).json
    const beta = (await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta Co-op' })).json
    const gamma = (await api(c, 'POST', '/api/v1/coops', c.adminToken, { username: 'gamma', name: 'Gamma Co-op', url: 'https://gamma.example' })).json
    expect((await api(b, 'POST', '/api/v1/coops/beta/follows', beta.token, { target: `alpha@127.0.0.1:${a.port}` })).status).toBe(202)
    expect((await api(a, 'POST', '/api/v1/coops/alpha/follows', alpha.token, { target: `gamma@127.0.0.1:${c.port}` })).status).toBe(202)
    for (const [hub, coop, token] of [[b, 'beta', beta.token], [a, 'alpha', alpha.token]] as const) {
      await eventually(async () => (await api(hub, 'GET', `/api/v1/coops/${coop}/follows`, token)).json.items[0]?.state === 'accepted' ? true : undefined, `${coop}'s follow to be accepted`)
    }
    const mail = await api(a, 'PUT', '/api/v1/coops/alpha/services/mail', alpha.token, { name: 'Alpha Mail', category: 'email', url: 'https://mail.alpha.example', access: 'members' })
    await eventually(async () => (await servicesOnB()).find(s => s.id === mail.json.id), 'B to list the mail service')

    // B goes down; meanwhile A publishes one service and deletes the other.
    await b.stop()
    const files = await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.token, { name: 'Alpha Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'members', software: 'Nextcloud' })
    expect(files.status).toBe(201)
    expect((await api(a, 'DELETE', '/api/v1/coops/alpha/services/mail', alpha.token)).status).toBe(204)
    // Both deliveries to B have failed once and wait for their retry.
    await eventually(async () => /delivery: will retry[\s\S]*delivery: will retry/.test(a.output()) ? true : undefined, 'A to fail its deliveries to B')

    b = await b.restart()
    expect((await servicesOnB()).map(s => s.name)).toEqual(['Alpha Mail'])
    const run = await runSiblings()
    expect(run).toMatchObject({ job: 'siblings', trigger: 'manual', outcome: 'succeeded', counts: { added: 1, changed: 0, unchanged: 0, gone: 1, rejected: 0 } })
    expect(run.details[0]).toMatchObject({ actorId: alpha.id, outcome: 'synced', collections: { services: { added: 1, gone: 1 } } })
    expect((await servicesOnB()).map(s => ({ name: s.name, software: s.software }))).toEqual([{ name: 'Alpha Files', software: { name: 'Nextcloud' } }])
    // A second sync finds nothing new.
    expect((await runSiblings()).counts).toEqual({ added: 0, changed: 0, unchanged: 1, gone: 0, rejected: 0 })

    // NodeInfo refreshed; gamma (followed by A's co-op) is suggested to B's admin.
    const siblings = (await api(b, 'GET', '/api/v1/siblings', b.adminToken)).json.items
    expect(siblings).toEqual([expect.objectContaining({ actorId: alpha.id, reachable: true, failures: 0, software: expect.objectContaining({ name: 'ioocloud-hub' }) })])
    const suggestions = (await api(b, 'GET', '/api/v1/siblings/suggestions', b.adminToken)).json.items
    expect(suggestions).toEqual([expect.objectContaining({ actorId: gamma.id, name: 'Gamma Co-op', via: [alpha.id] })])

    // A goes down: unreachable after two failed syncs, shown in B's directory.
    await a.stop()
    expect((await runSiblings()).outcome).toBe('failed')
    expect((await api(b, 'GET', '/api/v1/siblings', b.adminToken)).json.items[0]).toMatchObject({ reachable: true, failures: 1 })
    await runSiblings()
    const down = (await api(b, 'GET', '/api/v1/siblings', b.adminToken)).json.items[0]
    expect(down).toMatchObject({ reachable: false, failures: 2, unreachableSince: expect.any(String) })
    const entry = await eventually(async () => {
      const e = (await api(b, 'GET', '/api/v1/directory', b.adminToken)).json.items?.find((x: any) => x.actor === alpha.id)
      return e?.unreachableSince ? e : undefined
    }, 'B\'s directory to show A unreachable')
    expect(entry.unreachableSince).toBe(down.unreachableSince)

    a = await a.restart()
    expect((await runSiblings()).outcome).toBe('succeeded')
    expect((await api(b, 'GET', '/api/v1/siblings', b.adminToken)).json.items[0]).toMatchObject({ reachable: true, failures: 0, unreachableSince: null })
    await eventually(async () => {
      const e = (await api(b, 'GET', '/api/v1/directory', b.adminToken)).json.items?.find((x: any) => x.actor === alpha.id)
      return e && !e.unreachableSince ? e : undefined
    }, 'B\'s directory to show A reachable again')
  })
})
