import request from 'supertest'
import { api, AppUnderTest, getActivityJson, startAppUnderTest } from '../helpers/app-under-test'

/** The admin JSON API for co-ops and their services: statuses, errors and token rules. */
describe('co-op and service API', () => {
  let hub: AppUnderTest
  let alphaToken: string
  let betaToken: string
  let alphaId: string

  beforeAll(async () => {
    hub = await startAppUnderTest()
    const alpha = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha', summary: 'Files and mail', url: 'https://alpha.example' })
    const beta = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'beta', name: 'Beta' })
    alphaToken = alpha.json.token
    betaToken = beta.json.token
    alphaId = alpha.json.id
  })
  afterAll(async () => { await hub?.stop() })

  const service = { name: 'Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'members' }

  describe('POST /api/v1/coops', () => {
    it('answers 201 with the actor id, username and a token that acts for the co-op', async () => {
      const res = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'gamma', name: 'Gamma' })
      expect(res.status).toBe(201)
      expect(res.json).toEqual({ id: `${hub.url}/u/gamma`, username: 'gamma', token: expect.stringMatching(/^ioo_/) })
      const put = await api(hub, 'PUT', '/api/v1/coops/gamma/services/chat', res.json.token, { ...service, category: 'chat' })
      expect(put.status).toBe(201)
    })

    it('answers 409 when the username is taken', async () => {
      const res = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Another' })
      expect(res.status).toBe(409)
      expect(res.json).toEqual({ error: 'conflict', message: 'The username "alpha" is already taken on this hub' })
    })

    it('answers 400 with one message per bad field', async () => {
      const res = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'Not Valid', url: 'mailto:x@y', colour: 1 })
      expect(res.status).toBe(400)
      expect(res.json.error).toBe('invalid_request')
      expect(Object.keys(res.json.fields).sort()).toEqual(['colour', 'name', 'url', 'username'])
      expect(res.json.fields.name).toBe('is required')
    })

    it('refuses reserved usernames', async () => {
      const res = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'admin', name: 'Admin' })
      expect(res.status).toBe(400)
      expect(res.json.fields.username).toMatch(/reserved/)
    })

    it('needs the admin token: 401 without a token, 401 with an unknown one, 403 with a co-op token', async () => {
      expect((await api(hub, 'POST', '/api/v1/coops', undefined, { username: 'x1', name: 'X' })).status).toBe(401)
      expect((await api(hub, 'POST', '/api/v1/coops', 'ioo_unknown', { username: 'x1', name: 'X' })).status).toBe(401)
      const res = await api(hub, 'POST', '/api/v1/coops', alphaToken, { username: 'x1', name: 'X' })
      expect(res.status).toBe(403)
      expect((await api(hub, 'GET', '/api/v1/coops/x1')).status).toBe(404)
    })

    it('answers malformed JSON with a 400 JSON error', async () => {
      const res = await request(hub.app).post('/api/v1/coops').set('Authorization', `Bearer ${hub.adminToken}`).set('Content-Type', 'application/json').send('{"username":')
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ error: 'malformed_body' })
    })
  })

  describe('GET /api/v1/coops/:username', () => {
    it('is public and shows the profile with its services', async () => {
      await api(hub, 'PUT', '/api/v1/coops/alpha/services/mail', alphaToken, { ...service, name: 'Mail', category: 'email' })
      const res = await api(hub, 'GET', '/api/v1/coops/alpha')
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({ id: alphaId, username: 'alpha', name: 'Alpha', summary: 'Files and mail', url: 'https://alpha.example', followPolicy: 'automatic' })
      expect(res.json.services.map((s: any) => s.name)).toContain('Mail')
    })

    it('answers 404 for an unknown co-op', async () => {
      const res = await api(hub, 'GET', '/api/v1/coops/nobody')
      expect(res.status).toBe(404)
      expect(res.json).toEqual({ error: 'not_found', message: 'There is no co-op "nobody" on this hub' })
    })
  })

  describe('services', () => {
    it('creates with 201, updates with 200, under the same id', async () => {
      const created = await api(hub, 'PUT', '/api/v1/coops/alpha/services/files', alphaToken, service)
      expect(created.status).toBe(201)
      expect(created.json).toEqual({ id: `${hub.url}/u/alpha/services/files` })
      const updated = await api(hub, 'PUT', '/api/v1/coops/alpha/services/files', alphaToken, { ...service, name: 'Files 2' })
      expect(updated.status).toBe(200)
      expect(updated.json).toEqual(created.json)
      const object = await getActivityJson(hub, created.json.id)
      expect(object).toMatchObject({ type: ['Page', 'ioo:HostedService'], name: 'Files 2', attributedTo: alphaId, url: service.url, serviceType: 'file-hosting', access: 'members' })
      expect(object.summary.length).toBeGreaterThan(0)
      expect(object.to).toBe('https://www.w3.org/ns/activitystreams#Public')
    })

    it('lets the admin act for any co-op but a co-op token only for its own', async () => {
      expect((await api(hub, 'PUT', '/api/v1/coops/beta/services/x', hub.adminToken, service)).status).toBe(201)
      const res = await api(hub, 'PUT', '/api/v1/coops/beta/services/y', alphaToken, service)
      expect(res.status).toBe(403)
      expect(res.json.message).toBe('This token does not act for co-op "beta"')
      expect((await api(hub, 'DELETE', '/api/v1/coops/alpha/services/files', betaToken)).status).toBe(403)
    })

    it('answers 400 with per-field errors, and 400 for a bad key, changing nothing', async () => {
      const before = (await api(hub, 'GET', '/api/v1/services?coop=' + encodeURIComponent(alphaId))).json.items.length
      const bad = await api(hub, 'PUT', '/api/v1/coops/alpha/services/new', alphaToken, { name: 'N', category: 'File Hosting', url: 'http://x', access: 'everyone', software: 5 })
      expect(bad.status).toBe(400)
      expect(Object.keys(bad.json.fields).sort()).toEqual(['access', 'category', 'software'])
      const badKey = await api(hub, 'PUT', '/api/v1/coops/alpha/services/Bad_Key', alphaToken, service)
      expect(badKey.status).toBe(400)
      const after = (await api(hub, 'GET', '/api/v1/services?coop=' + encodeURIComponent(alphaId))).json.items.length
      expect(after).toBe(before)
    })

    it('lists public services filtered by co-op and category', async () => {
      const byCategory = await api(hub, 'GET', '/api/v1/services?category=email')
      expect(byCategory.json.items.map((s: any) => s.name)).toEqual(['Mail'])
      const byCoop = await api(hub, 'GET', '/api/v1/services?coop=' + encodeURIComponent(alphaId))
      expect(byCoop.json.items.every((s: any) => s.actor.id === alphaId && s.local === true)).toBe(true)
      expect((await api(hub, 'GET', '/api/v1/services?category=')).status).toBe(400)
    })

    it('deletes with 204, serves a Tombstone, then answers 404', async () => {
      await api(hub, 'PUT', '/api/v1/coops/alpha/services/tmp', alphaToken, service)
      const res = await api(hub, 'DELETE', '/api/v1/coops/alpha/services/tmp', alphaToken)
      expect(res.status).toBe(204)
      const object = await request(hub.app).get('/u/alpha/services/tmp').set('Accept', 'application/activity+json')
      expect(object.status).toBe(410)
      expect(JSON.parse(object.text).type).toBe('Tombstone')
      const again = await api(hub, 'DELETE', '/api/v1/coops/alpha/services/tmp', alphaToken)
      expect(again.status).toBe(404)
      expect(again.json.message).toBe('Co-op "alpha" has no service "tmp"')
    })
  })

  describe('follows', () => {
    it('refuses a target that is neither user@host nor a URL, and following oneself', async () => {
      const bad = await api(hub, 'POST', '/api/v1/coops/alpha/follows', alphaToken, { target: 'not a target' })
      expect(bad.status).toBe(400)
      const self = await api(hub, 'POST', '/api/v1/coops/alpha/follows', alphaToken, { target: alphaId })
      expect(self.status).toBe(400)
      expect(self.json.message).toBe('A co-op cannot follow itself')
    })

    it('says which server could not be reached (502) and records nothing', async () => {
      const res = await api(hub, 'POST', '/api/v1/coops/alpha/follows', alphaToken, { target: 'http://127.0.0.1:9/u/nobody' })
      expect(res.status).toBe(502)
      expect(res.json.message).toMatch(/Could not reach 127\.0\.0\.1:9/)
      expect((await api(hub, 'GET', '/api/v1/coops/alpha/follows', alphaToken)).json.items).toEqual([])
    })
  })

  it('answers unknown paths with a JSON 404', async () => {
    const res = await api(hub, 'GET', '/api/v1/nothing-here')
    expect(res.status).toBe(404)
    expect(res.json).toEqual({ error: 'not_found', message: 'Nothing is served at GET /api/v1/nothing-here' })
  })
})
