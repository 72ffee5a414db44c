import Ajv from 'ajv'
import fs from 'fs'
import path from 'path'
import { api, AppUnderTest, fetchApp, getActivityJson, getJson, startAppUnderTest } from '../helpers/app-under-test'

/** WebFinger, NodeInfo, the instance actor and co-op actors as other servers read them. */
describe('discovery', () => {
  let hub: AppUnderTest
  let host: string

  beforeAll(async () => {
    hub = await startAppUnderTest({ env: { HUB_NAME: 'Test Umbrella Hub' } })
    host = new URL(hub.url).host
    await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha Co-op', summary: 'Hosting for members', url: 'https://alpha.example', icon: 'https://alpha.example/logo.png' })
  })
  afterAll(async () => { await hub?.stop() })

  it('answers WebFinger for acct:user@host with the actor as self', async () => {
    const res = await fetchApp(hub, `${hub.url}/.well-known/webfinger?resource=acct:alpha@${host}`)
    expect(res.headers.get('content-type')).toMatch(/^application\/jrd\+json/)
    expect(await res.json()).toEqual({
      subject: `acct:alpha@${host}`,
      aliases: [`${hub.url}/u/alpha`],
      links: [
        { rel: 'self', type: 'application/activity+json', href: `${hub.url}/u/alpha` },
        { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: `${hub.url}/u/alpha` }
      ]
    })
  })

  it('answers WebFinger for the actor URL, and for the hub URL with the instance actor (FEP-d556)', async () => {
    const byUrl = await getJson(hub, `${hub.url}/.well-known/webfinger?resource=${encodeURIComponent(`${hub.url}/u/alpha`)}`)
    expect(byUrl.subject).toBe(`acct:alpha@${host}`)
    const server = await getJson(hub, `${hub.url}/.well-known/webfinger?resource=${encodeURIComponent(`${hub.url}/`)}`)
    expect(server.links).toContainEqual({ rel: 'https://www.w3.org/ns/activitystreams#Service', type: 'application/activity+json', href: `${hub.url}/actor` })
  })

  it.each([
    ['', 400, /resource=acct:user@host/],
    ['?resource=acct:nobody@HOST', 404, /no account nobody@127\.0\.0\.1:\d+ on this hub; it answers for accounts @127\.0\.0\.1:\d+ only/],
    ['?resource=acct:alpha@elsewhere.example', 404, /not this hub/],
    ['?resource=acct:nohost', 400, /acct:user@host/]
  ])('answers WebFinger %s with %i and a reason', async (query, status, message) => {
    const res = await fetchApp(hub, `${hub.url}/.well-known/webfinger${query.replace('HOST', host)}`)
    expect(res.status).toBe(status)
    expect(((await res.json()) as any).message).toMatch(message)
  })

  it('serves NodeInfo 2.1 that is valid against the official schema', async () => {
    const links = await getJson(hub, `${hub.url}/.well-known/nodeinfo`)
    expect(links.links).toContainEqual({ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.1', href: `${hub.url}/nodeinfo/2.1` })
    expect(links.links).toContainEqual({ rel: 'https://www.w3.org/ns/activitystreams#Application', href: `${hub.url}/actor` })
    const res = await fetchApp(hub, `${hub.url}/nodeinfo/2.1`)
    expect(res.headers.get('content-type')).toContain('profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"')
    const doc = await res.json()
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'nodeinfo-2.1.schema.json'), 'utf8'))
    // The official schema is draft-04; its keywords used here read the same under ajv's default draft.
    delete schema.$schema
    schema.$id = schema.id
    delete schema.id
    const validate = new Ajv({ strict: false }).compile(schema)
    expect(validate.errors ?? validate(doc)).toBe(true)
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version
    expect(doc).toMatchObject({ software: { name: 'ioocloud-hub', version }, protocols: ['activitypub'], usage: { users: { total: 1 } }, metadata: { nodeName: 'Test Umbrella Hub' } })
  })

  it('serves the instance actor unsigned, as an Application with a key', async () => {
    const actor = await getActivityJson(hub, `${hub.url}/actor`)
    expect(actor).toMatchObject({ id: `${hub.url}/actor`, type: 'Application', inbox: `${hub.url}/actor/inbox`, publicKey: { id: `${hub.url}/actor#main-key`, owner: `${hub.url}/actor` } })
    expect(actor.publicKey.publicKeyPem).toContain('BEGIN PUBLIC KEY')
  })

  it('serves a co-op as an Organization with the properties Mastodon reads', async () => {
    const res = await fetchApp(hub, `${hub.url}/u/alpha`, { headers: { accept: 'application/activity+json' } })
    expect(res.headers.get('content-type')).toMatch(/^application\/activity\+json/)
    const actor = await res.json() as any
    expect(actor['@context'][0]).toBe('https://www.w3.org/ns/activitystreams')
    expect(actor).toMatchObject({
      id: `${hub.url}/u/alpha`,
      type: 'Organization',
      preferredUsername: 'alpha',
      name: 'Alpha Co-op',
      summary: 'Hosting for members',
      url: 'https://alpha.example',
      icon: { type: 'Image', url: 'https://alpha.example/logo.png' },
      inbox: `${hub.url}/u/alpha/inbox`,
      outbox: `${hub.url}/u/alpha/outbox`,
      followers: `${hub.url}/u/alpha/followers`,
      following: `${hub.url}/u/alpha/following`,
      services: `${hub.url}/u/alpha/services`,
      manuallyApprovesFollowers: false,
      publicKey: { id: `${hub.url}/u/alpha#main-key`, owner: `${hub.url}/u/alpha` }
    })
    expect([actor.attachment].flat()).toContainEqual(expect.objectContaining({ type: 'PropertyValue', name: 'Website' }))
    expect(JSON.stringify(actor)).not.toMatch(/PRIVATE KEY|_meta/)
  })

  it('serves the hub context at /ns and the services collection', async () => {
    const ns = await getJson(hub, `${hub.url}/ns`)
    expect(ns['@context'].ioo).toBe('https://w3id.org/ioocloud/ns#')
    const col = await getActivityJson(hub, `${hub.url}/u/alpha/services`)
    expect(col).toMatchObject({ type: 'OrderedCollection', totalItems: 0 })
  })
})
