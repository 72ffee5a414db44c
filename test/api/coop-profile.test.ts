import jsonld from 'jsonld'
import { createDocumentLoader } from '../../src/federation/jsonld/document-loader'
import { SchemaValidator } from '../../src/schemas/schema-validator'
import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/**
 * `PATCH /api/v1/coops/:username` on real hubs over loopback: A's co-op edits its profile; its
 * actor keeps id, keys and published date; B, whose co-op follows it, gets the Update of the
 * actor and shows the new name in its services listing and directory. Bad edits change nothing.
 * The directory entry's ActivityStreams form (VOCABULARY.md) is read from A's API as well.
 */
describe('editing a co-op\'s profile', () => {
  let a: TestHub
  let b: TestHub
  const co: Record<string, { id: string, token: string }> = {}

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestHub(), startTestHub()])
    for (const [hub, body] of [
      [a, { username: 'alpha', name: 'Alpha Co-op', url: 'https://alpha.example', icon: 'https://alpha.example/logo.png', summary: 'Files' }],
      [a, { username: 'delta', name: 'Delta Co-op' }],
      [b, { username: 'beta', name: 'Beta Co-op' }]
    ] as const) {
      const made = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, body)
      expect(made.status).toBe(201)
      co[body.username] = { id: made.json.id, token: made.json.token }
    }
    expect((await api(b, 'POST', '/api/v1/coops/beta/follows', co.beta.token, { target: `alpha@127.0.0.1:${a.port}` })).status).toBe(202)
    await eventually(async () => (await api(b, 'GET', '/api/v1/coops/beta/follows', co.beta.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'beta\'s follow to be accepted')
    // Published once beta follows: B lists it from the Create.
    expect((await api(a, 'PUT', '/api/v1/coops/alpha/services/files', co.alpha.token, { name: 'Alpha Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'members' })).status).toBe(201)
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  const serviceActorNameOnB = async (): Promise<string | undefined> => (await api(b, 'GET', '/api/v1/services')).json.items.find((s: any) => s.name === 'Alpha Files')?.actor?.name
  const entryOn = async (hub: TestHub): Promise<any> => (await api(hub, 'GET', '/api/v1/directory?limit=50')).json.items.find((e: any) => e.actor === co.alpha.id)

  it('refuses bad edits with a clear error and changes nothing', async () => {
    const before = await getActivityJson(co.alpha.id)
    const cases: Array<[string, string | undefined, unknown, number, RegExp]> = [
      ['no field', co.alpha.token, {}, 400, /must NOT have fewer than 1 properties/],
      ['unknown field', co.alpha.token, { nickname: 'A' }, 400, /nickname is not a known field/],
      ['empty name', co.alpha.token, { name: '' }, 400, /name/],
      ['website not http(s)', co.alpha.token, { url: 'ftp://alpha.example' }, 400, /url/],
      ['unknown follow policy', co.alpha.token, { followPolicy: 'sometimes' }, 400, /followPolicy/],
      ['latitude out of range', co.alpha.token, { location: { latitude: 123, longitude: 4 } }, 400, /latitude/],
      ['language not a code', co.alpha.token, { languages: ['French'] }, 400, /languages/],
      ['no token', undefined, { name: 'X' }, 401, /token/],
      ['another co-op\'s token', co.delta.token, { name: 'X' }, 403, /does not act for co-op "alpha"/]
    ]
    for (const [what, token, body, status, message] of cases) {
      const res = await api(a, 'PATCH', '/api/v1/coops/alpha', token, body)
      expect({ what, status: res.status }).toEqual({ what, status })
      expect(res.json.message).toMatch(message)
    }
    expect((await api(a, 'PATCH', '/api/v1/coops/nobody', a.adminToken, { name: 'X' })).status).toBe(404)
    expect(await getActivityJson(co.alpha.id)).toEqual(before)
    // The OpenAPI document describes the edit with the schema's body.
    const openapi = (await api(a, 'GET', '/api/v1/openapi.json')).json
    expect(openapi.paths['/api/v1/coops/{username}'].patch.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CoopUpdateRequest' })
    expect(openapi.components.schemas.CoopUpdateRequest.properties.name).toEqual({ $ref: '#/components/schemas/CoopCreateRequest/properties/name' })
  })

  it('rebuilds the actor, federates an Update, and a following hub shows the new name', async () => {
    const before = await getActivityJson(co.alpha.id)
    expect(before).toMatchObject({ name: 'Alpha Co-op', fundingPools: `${co.alpha.id}/pools`, agreements: `${co.alpha.id}/agreements` })
    expect(await eventually(serviceActorNameOnB, 'B to list alpha\'s service')).toBe('Alpha Co-op')
    expect((await eventually(async () => await entryOn(b), 'B to list alpha in its directory')).name).toBe('Alpha Co-op')

    const edited = await api(a, 'PATCH', '/api/v1/coops/alpha', co.alpha.token, {
      name: 'Alpha Cloud Co-op', icon: null, languages: ['fr', 'en'], followPolicy: 'approval',
      location: { name: 'Lyon', country: 'FR', latitude: 45.76, longitude: 4.84 }
    })
    expect(edited.status).toBe(200)
    expect(edited.json).toMatchObject({
      id: co.alpha.id, name: 'Alpha Cloud Co-op', summary: 'Files', url: 'https://alpha.example', icon: null, followPolicy: 'approval',
      location: { name: 'Lyon', country: 'FR', latitude: 45.76, longitude: 4.84 }, languages: ['fr', 'en']
    })

    const after = await getActivityJson(co.alpha.id)
    expect(after).toMatchObject({
      id: before.id, publicKey: before.publicKey, published: before.published, inbox: before.inbox, services: before.services,
      name: 'Alpha Cloud Co-op', manuallyApprovesFollowers: true, location: { type: 'Place', name: 'Lyon', addressCountry: 'FR' }
    })
    expect(after.icon).toBeUndefined()
    expect(Date.parse(after.updated)).toBeGreaterThan(Date.parse(before.published))
    expect((await api(a, 'GET', '/api/v1/coops/alpha')).json.followPolicy).toBe('approval')
    expect((await entryOn(a)).name).toBe('Alpha Cloud Co-op')

    // B got the Update of the actor: its services listing and directory entry follow.
    await eventually(async () => await serviceActorNameOnB() === 'Alpha Cloud Co-op' ? true : undefined, 'B to show the new name in its services listing')
    const entry = await eventually(async () => { const e = await entryOn(b); return e?.name === 'Alpha Cloud Co-op' ? e : undefined }, 'B\'s directory to show the new name')
    expect(entry.location).toMatchObject({ country: 'FR', lat: 45.76, lon: 4.84 })
    expect(entry.languages).toEqual(['fr', 'en'])

    // The admin token may edit any local co-op.
    expect((await api(a, 'PATCH', '/api/v1/coops/delta', a.adminToken, { summary: 'Mail for members' })).json.summary).toBe('Mail for members')
  })

  it('serves a directory entry in its ActivityStreams form to clients that ask for it', async () => {
    const entry = await entryOn(a)
    const url = `${a.url}/api/v1/directory/${entry.id}`
    const res = await fetch(url, { headers: { accept: 'application/activity+json' } })
    expect(res.headers.get('content-type')).toMatch(/^application\/activity\+json/)
    expect(res.headers.get('vary')).toMatch(/Accept\b/)
    const doc = await res.json() as any
    expect(doc).toMatchObject({
      id: url, type: ['Page', 'ioo:DirectoryEntry'], name: 'Alpha Cloud Co-op', summary: 'Files', url: 'https://alpha.example', about: co.alpha.id,
      entryStatus: 'active', location: { type: 'Place', name: 'Lyon', addressCountry: 'FR', latitude: 45.76, longitude: 4.84 }, knowsLanguage: ['fr', 'en']
    })
    expect(doc['ioo:source']).toEqual([expect.objectContaining({ name: `127.0.0.1:${a.port}`, sourceKind: 'local', identifier: co.alpha.id })])
    expect(() => new SchemaValidator().validate('objects/directory-entry-as2.schema.json', doc, 'entry')).not.toThrow()
    const unknown: string[] = []
    const [expanded] = await jsonld.expand(doc, { documentLoader: createDocumentLoader({ onUnknown: u => unknown.push(u) }) })
    expect(unknown).toEqual([])
    expect(expanded['@type']).toEqual(['https://www.w3.org/ns/activitystreams#Page', 'https://w3id.org/ioocloud/ns#DirectoryEntry'])
    expect(expanded['https://w3id.org/ioocloud/ns#entryStatus']).toEqual([{ '@value': 'active' }])
    const source = (expanded['https://w3id.org/ioocloud/ns#source'] as any[])[0]
    expect(source['http://schema.org/identifier']).toEqual([{ '@value': co.alpha.id }])
    // The JSON API form stays the default, and each form has its own ETag.
    const plain = await fetch(url)
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/)
    expect(((await plain.json()) as any).provenance[0].sourceId).toBe(co.alpha.id)
    expect(plain.headers.get('etag')).not.toBe(res.headers.get('etag'))
  })
})
