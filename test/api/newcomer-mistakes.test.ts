import request from 'supertest'
import { api, AppUnderTest, startAppUnderTest } from '../helpers/app-under-test'

/** What the words of a refused loopback target must say, and what they must never say. */
const NAMES_THE_SETTING = /is refused: .*set HUB_ALLOW_PRIVATE_ADDRESSES=1 for a test network/
const RESOLVED_ADDRESS = /127\.0\.0\.1|::1|resolves to/

/**
 * Common first-hour mistakes get answers a person can act on: a form body, an unknown account,
 * an unknown page in a browser, and a loopback target on a hub that refuses them.
 */
describe('clear answers to common mistakes', () => {
  let hub: AppUnderTest
  let token: string

  beforeAll(async () => {
    // Like a production hub: loopback and private addresses refused.
    hub = await startAppUnderTest({ env: { HUB_ALLOW_PRIVATE_ADDRESSES: '0' } })
    token = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha' })).json.token
  })
  afterAll(async () => { await hub?.stop() })

  it('answers 415 to a form body (curl -d) on POST, PUT and PATCH under /api/v1, and changes nothing', async () => {
    const post = await request(hub.app).post('/api/v1/coops').set('Authorization', `Bearer ${hub.adminToken}`).send('username=riverside&name=Riverside')
    expect(post.status).toBe(415)
    expect(post.body).toMatchObject({ error: 'unsupported_media_type', message: expect.stringMatching(/must be JSON sent with Content-Type: application\/json; this one was sent as application\/x-www-form-urlencoded/) })
    expect((await api(hub, 'GET', '/api/v1/coops/riverside')).status).toBe(404)

    const put = await request(hub.app).put('/api/v1/coops/alpha/services/files').set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'text/plain').send('{"name":"Files"}')
    expect(put.status).toBe(415)
    expect((await api(hub, 'GET', '/api/v1/coops/alpha')).json.services).toEqual([])

    const patch = await request(hub.app).patch('/api/v1/coops/alpha').set('Authorization', `Bearer ${token}`).send('name=Other')
    expect(patch.status).toBe(415)
    expect((await api(hub, 'GET', '/api/v1/coops/alpha')).json.name).toBe('Alpha')
  })

  it('still reads JSON bodies, and a POST without a body is not refused for its type', async () => {
    const created = await request(hub.app).post('/api/v1/coops').set('Authorization', `Bearer ${hub.adminToken}`)
      .set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify({ username: 'beta', name: 'Beta' }))
    expect(created.status).toBe(201)
    const bodyless = await request(hub.app).post('/api/v1/jobs/expiry/runs').set('Authorization', `Bearer ${hub.adminToken}`)
    expect(bodyless.status).toBe(201)
  })

  it('answers WebFinger for an unknown account with a JSON 404 naming the account and the host it answers for', async () => {
    const host = new URL(hub.url).host
    const res = await request(hub.app).get('/.well-known/webfinger').query({ resource: `acct:nobody@${host}` })
    expect(res.status).toBe(404)
    expect(res.type).toBe('application/json')
    expect(res.body).toEqual({ error: 'not_found', message: `There is no account nobody@${host} on this hub; it answers for accounts @${host} only` })
  })

  it('answers an unknown path asked for as HTML with an HTML page that links home; API clients keep JSON', async () => {
    const page = await request(hub.app).get('/no/such/page').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8')
    expect(page.status).toBe(404)
    expect(page.type).toBe('text/html')
    expect(page.text).toContain('There is no page at /no/such/page on this hub.')
    expect(page.text).toMatch(/<a href="\/">/)

    for (const accept of ['application/json', '*/*']) {
      const json = await request(hub.app).get('/no/such/page').set('Accept', accept)
      expect({ status: json.status, type: json.type, error: json.body.error }).toEqual({ status: 404, type: 'application/json', error: 'not_found' })
    }
    const apiPath = await request(hub.app).get('/api/v1/nothing').set('Accept', 'text/html')
    expect({ status: apiPath.status, type: apiPath.type }).toEqual({ status: 404, type: 'application/json' })
  })

  it('names HUB_ALLOW_PRIVATE_ADDRESSES when a follow targets loopback, by literal address, by name and by URL', async () => {
    const port = new URL(hub.url).port
    for (const target of [`beta@127.0.0.1:${port}`, `beta@localhost:${port}`, `http://localhost:${port}/u/beta`]) {
      const res = await api(hub, 'POST', '/api/v1/coops/alpha/follows', token, { target })
      expect({ target, status: res.status, error: res.json.error }).toEqual({ target, status: 400, error: 'forbidden_address' })
      expect(res.json.message).toMatch(NAMES_THE_SETTING)
      if (target.includes('localhost')) expect(res.json.message).not.toMatch(RESOLVED_ADDRESS)
    }
    expect((await api(hub, 'GET', '/api/v1/coops/alpha/follows', token)).json.items).toEqual([])
  })

  it('refuses a directory source on loopback when it is added, by literal address or by a name resolving to one', async () => {
    for (const url of ['http://127.0.0.1:9/directory.json', 'http://localhost:9/directory.json']) {
      const res = await api(hub, 'POST', '/api/v1/sources', hub.adminToken, { id: 'lan', format: 'hub-directory', url })
      expect({ url, status: res.status, error: res.json.error }).toEqual({ url, status: 400, error: 'forbidden_address' })
      expect(res.json.message).toMatch(NAMES_THE_SETTING)
      expect(res.json.message).not.toMatch(/::1|resolves to/)
    }
    expect((await api(hub, 'GET', '/api/v1/sources', hub.adminToken)).json.items.map((s: { id: string }) => s.id)).not.toContain('lan')
  })
})
