import { api, eventually } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/** An address the answer must not reveal: what `localhost` resolves to. */
const RESOLVED_ADDRESS = /127\.0\.0\.1|::1|resolves to/

/**
 * HUB_ALLOW_PRIVATE_ADDRESSES is parsed once and read by every outbound call site: a list of
 * ranges allows exactly those ranges to follows (WebFinger included), directory sources and the
 * client alike. A refusal names the target and the setting, never the address a name resolved to.
 */
describe('the private-address policy, one setting for every outbound call', () => {
  let target: TestHub
  let lan: TestHub
  let strict: TestHub
  let port: string

  beforeAll(async () => {
    target = await startTestHub()
    lan = await startTestHub({ HUB_ALLOW_PRIVATE_ADDRESSES: '127.0.0.0/8' })
    strict = await startTestHub({ HUB_ALLOW_PRIVATE_ADDRESSES: '10.0.0.0/8' })
    port = new URL(target.url).port
    expect((await api(target, 'POST', '/api/v1/coops', target.adminToken, { username: 'beta', name: 'Beta' })).status).toBe(201)
  })

  afterAll(async () => {
    await Promise.all([target, lan, strict].map(h => h?.stop()))
  })

  async function coopOn (hub: TestHub, username: string): Promise<string> {
    const res = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: username })
    expect(res.status).toBe(201)
    return res.json.token
  }

  it('with 127.0.0.0/8 listed, follows a loopback co-op by handle (WebFinger over plain http) and gets its Accept', async () => {
    const token = await coopOn(lan, 'alpha')
    const res = await api(lan, 'POST', '/api/v1/coops/alpha/follows', token, { target: `beta@127.0.0.1:${port}` })
    expect(res.status).toBe(202)
    expect(res.json).toMatchObject({ targetActorId: `${target.url}/u/beta`, state: 'pending' })
    await eventually(async () => {
      const list = await api(lan, 'GET', '/api/v1/coops/alpha/follows', token)
      return list.json.items[0]?.state === 'accepted' ? true : undefined
    }, 'the loopback co-op to accept the follow')
  })

  it('with 127.0.0.0/8 listed, adds a directory source on a loopback address', async () => {
    const res = await api(lan, 'POST', '/api/v1/sources', lan.adminToken, { id: 'lan-hub', format: 'hub-directory', url: `http://127.0.0.1:${port}/directory.json` })
    expect(res.status).toBe(201)
  })

  it('with only 10.0.0.0/8 listed, refuses a follow of a loopback co-op (400), by handle or by URL, naming the setting', async () => {
    const token = await coopOn(strict, 'gamma')
    for (const followTarget of [`beta@127.0.0.1:${port}`, `${target.url}/u/beta`]) {
      const res = await api(strict, 'POST', '/api/v1/coops/gamma/follows', token, { target: followTarget })
      expect({ status: res.status, error: res.json.error }).toEqual({ status: 400, error: 'forbidden_address' })
      expect(res.json.message).toMatch(/is refused: the hub does not connect to loopback or private addresses; set HUB_ALLOW_PRIVATE_ADDRESSES=1 for a test network/)
    }
    expect((await api(strict, 'GET', '/api/v1/coops/gamma/follows', token)).json.items).toEqual([])
    const source = await api(strict, 'POST', '/api/v1/sources', strict.adminToken, { id: 'lan-hub', format: 'hub-directory', url: `http://127.0.0.1:${port}/directory.json` })
    expect(source.status).toBe(400)
  })

  it('never says what a refused name resolves to, in a follow error', async () => {
    const token = await coopOn(strict, 'delta')
    const res = await api(strict, 'POST', '/api/v1/coops/delta/follows', token, { target: `beta@localhost:${port}` })
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/^localhost is refused: .*HUB_ALLOW_PRIVATE_ADDRESSES/)
    expect(res.json.message).not.toMatch(RESOLVED_ADDRESS)
  })

  it('never says what a refused name resolves to, in the public health report', async () => {
    const token = await coopOn(strict, 'epsilon')
    const put = await api(strict, 'PUT', '/api/v1/coops/epsilon/services/files', token, { name: 'Files', category: 'file-hosting', url: `http://localhost:${port}/nc`, access: 'members', software: 'Nextcloud' })
    expect(put.status).toBeLessThan(300)
    expect((await api(strict, 'POST', '/api/v1/jobs/health/runs', strict.adminToken)).status).toBe(201)
    const health = (await api(strict, 'GET', '/api/v1/health')).json.items
    const files = health.find((h: { name: string }) => h.name === 'Files')
    expect(files.lastCheck).toMatchObject({ status: 'down', detail: expect.stringMatching(/^localhost is refused: .*HUB_ALLOW_PRIVATE_ADDRESSES/) })
    expect(JSON.stringify(files.lastCheck)).not.toMatch(RESOLVED_ADDRESS)
  })
})
