import { api, eventually } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { runCliCapturing as run } from '../helpers/cli-env'

/**
 * `ioocloud-hub coop delete`: the followers' hub receives the actor's Delete and drops the co-op
 * (its services, the follow, its directory entry); the actor then answers 410.
 */
describe('deleting a co-op that another hub follows', () => {
  let a: TestHub
  let b: TestHub
  const saved = { ...process.env }

  beforeAll(async () => {
    a = await startTestHub({ HUB_PROCESS_HEARTBEAT_MS: '200' })
    b = await startTestHub({ HUB_PROCESS_HEARTBEAT_MS: '200' })
  })
  afterAll(async () => {
    process.env = { ...saved }
    await Promise.all([a, b].map(h => h?.stop()))
  })

  it('drops the co-op from the follower hub, and its actor answers 410', async () => {
    const alpha = (await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha Cloud' })).json
    expect((await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.token, { name: 'Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'members' })).status).toBe(201)
    const beta = (await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta' })).json
    expect((await api(b, 'POST', '/api/v1/coops/beta/follows', beta.token, { target: alpha.id })).status).toBe(202)
    await eventually(async () => (await api(b, 'GET', '/api/v1/coops/beta/follows', beta.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'the follow to be accepted')
    // Published again after the follow, so that B lists it (catch-up of earlier objects is another matter).
    expect((await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.token, { name: 'Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'public' })).status).toBe(200)
    const directoryNames = async (): Promise<string[]> => (await api(b, 'GET', '/api/v1/directory')).json.items.map((e: { name: string }) => e.name)
    await eventually(async () => (await api(b, 'GET', `/api/v1/services?coop=${encodeURIComponent(alpha.id)}`)).json.items.length === 1 ? true : undefined, 'B to list alpha\'s service')
    expect(await directoryNames()).toContain('Alpha Cloud')

    Object.assign(process.env, { DATA_DIR: a.hub.config.dataDir, HUB_URL: a.url, HUB_ALLOW_PRIVATE_ADDRESSES: '1', LOG_LEVEL: 'silent' })
    delete process.env.PORT
    expect((await run('coop', 'delete', 'alpha', '--yes')).code).toBe(0)

    await eventually(async () => (await api(b, 'GET', '/api/v1/coops/beta/follows', beta.token)).json.items.length === 0 ? true : undefined, 'B to drop the follow of the deleted co-op', 15_000)
    expect((await api(b, 'GET', `/api/v1/services?coop=${encodeURIComponent(alpha.id)}`)).json.items).toEqual([])
    expect(await directoryNames()).not.toContain('Alpha Cloud')

    const res = await fetch(alpha.id, { headers: { accept: 'application/activity+json' } })
    expect(res.status).toBe(410)
    expect(await res.json()).toMatchObject({ error: 'gone' })
    expect((await api(a, 'GET', '/api/v1/coops/alpha')).status).toBe(404)
  }, 60_000)
})
