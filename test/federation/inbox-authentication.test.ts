import crypto from 'crypto'
import http from 'http'
import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { FakePeer, mastodonSignedHeaders, testKeyPair, verifyReceived } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { loadPeerFixture, MastodonPeer, startMastodonPeer } from './mastodon-peer'

/**
 * The inbox refuses what a trusted network cannot accept, and accepts what Mastodon really
 * sends. Each refusal must leave the store as it was.
 */
describe('inbox authentication', () => {
  let hub: TestHub
  let mastodon: MastodonPeer
  let attacker: FakePeer
  let attackerKeys: { publicKeyPem: string, privateKeyPem: string }
  let coopId: string
  const inbox = (): string => `${hub.url}/u/coop/inbox`

  beforeAll(async () => {
    hub = await startTestHub()
    mastodon = await startMastodonPeer()
    // Another server that signs with its own actor's key while claiming to be Mastodon's alice.
    attacker = await new FakePeer().start()
    attackerKeys = testKeyPair()
    attacker.serve('/users/mallory', {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: `${attacker.origin}/users/mallory`,
      type: 'Person',
      preferredUsername: 'mallory',
      inbox: `${attacker.origin}/users/mallory/inbox`,
      publicKey: { id: `${attacker.origin}/users/mallory#main-key`, owner: `${attacker.origin}/users/mallory`, publicKeyPem: attackerKeys.publicKeyPem }
    })
    const created = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'coop', name: 'The Co-op' })
    coopId = created.json.id
  })

  afterAll(async () => {
    await hub?.stop()
    await mastodon?.peer.stop()
    await attacker?.stop()
  })

  function follow (id: string): { body: string, activity: any } {
    const activity = loadPeerFixture('mastodon-follow.json', mastodon.peer.origin, { TARGET_ACTOR: coopId })
    activity.id = `${mastodon.peer.origin}/${id}`
    return { activity, body: JSON.stringify(activity) }
  }

  async function post (body: string, headers: Record<string, string>): Promise<{ status: number, json: any }> {
    const res = await fetch(inbox(), { method: 'POST', headers, body })
    const text = await res.text()
    return { status: res.status, json: text ? JSON.parse(text) : null }
  }

  async function inboxSize (): Promise<number> {
    return await hub.hub.store.getStreamCount(`${coopId}/inbox`)
  }

  const signedByAlice = (body: string, extra: Partial<Parameters<typeof mastodonSignedHeaders>[0]> = {}): Record<string, string> =>
    mastodonSignedHeaders({ url: inbox(), body, keyId: mastodon.keyId, privateKeyPem: mastodon.privateKeyPem, ...extra })

  const refusals: Array<{ name: string, status: number, message: RegExp, request: (id: string) => { body: string, headers: Record<string, string> } }> = [
    {
      name: 'no signature at all',
      status: 401,
      message: /Signature header is missing/,
      request: id => { const { body } = follow(id); return { body, headers: { 'content-type': 'application/activity+json' } } }
    },
    {
      name: 'body changed after signing (Digest mismatch)',
      status: 401,
      message: /Digest header does not match the body/,
      request: id => {
        const { body } = follow(id)
        const headers = signedByAlice(body)
        return { body: body.replace('"Follow"', '"Follow" ,"summary":"tampered"'), headers }
      }
    },
    {
      name: 'signed by a key that is not the actor\'s (another server\'s actor)',
      status: 403,
      message: /signed by .*mallory but the activity's actor is .*alice/,
      request: id => {
        const { body } = follow(id)
        return { body, headers: mastodonSignedHeaders({ url: inbox(), body, keyId: `${attacker.origin}/users/mallory#main-key`, privateKeyPem: attackerKeys.privateKeyPem }) }
      }
    },
    {
      name: 'alice\'s keyId but signed with another key',
      status: 401,
      message: /does not verify/,
      request: id => { const { body } = follow(id); return { body, headers: signedByAlice(body, { privateKeyPem: attackerKeys.privateKeyPem }) } }
    },
    {
      name: 'Date two hours old',
      status: 401,
      message: /more than an hour away/,
      request: id => { const { body } = follow(id); return { body, headers: signedByAlice(body, { date: new Date(Date.now() - 2 * 3600_000) }) } }
    },
    {
      name: 'Date two hours in the future',
      status: 401,
      message: /more than an hour away/,
      request: id => { const { body } = follow(id); return { body, headers: signedByAlice(body, { date: new Date(Date.now() + 2 * 3600_000) }) } }
    },
    {
      name: 'no Digest header',
      status: 401,
      message: /must cover digest|Digest header is missing/,
      request: id => { const { body } = follow(id); return { body, headers: signedByAlice(body, { digest: null, headers: ['(request-target)', 'host', 'date'] }) } }
    },
    {
      name: 'Digest present but not signed',
      status: 401,
      message: /must cover digest/,
      request: id => { const { body } = follow(id); return { body, headers: signedByAlice(body, { headers: ['(request-target)', 'host', 'date'] }) } }
    },
    {
      name: 'a garbled Signature header',
      status: 401,
      message: /could not be parsed/,
      request: id => { const { body } = follow(id); return { body, headers: { ...signedByAlice(body), signature: 'this is not a signature' } } }
    }
  ]

  it.each(refusals)('refuses $name with $status and stores nothing', async ({ status, message, request }) => {
    const id = `refused-${Math.random().toString(36).slice(2)}`
    const before = await inboxSize()
    const { body, headers } = request(id)
    const res = await post(body, headers)
    expect(res.status).toBe(status)
    expect(res.json.message).toMatch(message)
    expect(await inboxSize()).toBe(before)
    expect(await hub.hub.store.getActivity(`${mastodon.peer.origin}/${id}`)).toBeNull()
  })

  it('refuses bodies that are not an activity before reading a signature', async () => {
    const cases: Array<[string, Record<string, string>, number]> = [
      ['{not json', { 'content-type': 'application/activity+json' }, 400],
      ['[1,2,3]', { 'content-type': 'application/activity+json' }, 400],
      ['{"type":"Follow"}', { 'content-type': 'text/plain' }, 415],
      [JSON.stringify({ a: 'x'.repeat(1024 * 1024 + 10) }), { 'content-type': 'application/activity+json' }, 413],
      ['{"a":'.repeat(40) + '1' + '}'.repeat(40), { 'content-type': 'application/activity+json' }, 400]
    ]
    const before = await inboxSize()
    for (const [body, headers, status] of cases) {
      const res = await post(body, headers)
      expect({ status: res.status, hasMessage: typeof res.json?.message === 'string' }).toEqual({ status, hasMessage: true })
    }
    expect(await inboxSize()).toBe(before)
  })

  it('accepts a Mastodon-signed Follow from a Mastodon-shaped actor and answers with a signed Accept', async () => {
    const { body, activity } = follow('accepted-follow')
    const res = await post(body, signedByAlice(body))
    expect(res.status).toBe(202)
    expect(await hub.hub.store.getActivity(activity.id)).not.toBeNull()

    const accept = await eventually(async () => mastodon.peer.postsTo(mastodon.sharedInbox)[0], 'the Accept to reach Mastodon\'s shared inbox')
    const sent = JSON.parse(accept.body)
    expect(sent).toMatchObject({ type: 'Accept', actor: coopId, object: { id: activity.id, type: 'Follow', actor: mastodon.actorId } })
    const coopActor = await getActivityJson(coopId)
    expect(accept.headers.signature).toContain(`keyId="${coopActor.publicKey.id}"`)
    expect(verifyReceived(accept, coopActor.publicKey.publicKeyPem)).toBe(true)

    const followers = await getActivityJson(`${coopId}/followers`)
    expect(followers.totalItems).toBe(1)
  })

  it('handles a repeated delivery of the same activity once', async () => {
    const { body, activity } = follow('accepted-follow')
    const before = mastodon.peer.postsTo(mastodon.sharedInbox).length
    const res = await post(body, signedByAlice(body))
    expect(res.status).toBe(202)
    await hub.hub.inbox.idle()
    const followers = await getActivityJson(`${coopId}/followers`)
    expect(followers.totalItems).toBe(1)
    expect(mastodon.peer.postsTo(mastodon.sharedInbox).length).toBe(before)
    expect(await hub.hub.store.getActivity(activity.id)).not.toBeNull()
  })

  it('verifies a signature over headers sent more than once by their values joined with ", ", Set-Cookie among them', async () => {
    const send = (id: string, signedValues: { 'x-repeated': string, 'set-cookie': string }): Promise<number> => {
      const { body } = follow(id)
      const url = new URL(inbox())
      const date = new Date().toUTCString()
      const digest = `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}`
      const names = ['(request-target)', 'host', 'date', 'digest', 'x-repeated', 'set-cookie']
      const values: Record<string, string> = { host: url.host, date, digest, ...signedValues }
      const text = names.map(n => n === '(request-target)' ? `(request-target): post ${url.pathname}` : `${n}: ${values[n]}`).join('\n')
      const signature = crypto.createSign('RSA-SHA256').update(text).sign(mastodon.privateKeyPem, 'base64')
      return new Promise<number>((resolve, reject) => {
        const req = http.request(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/activity+json',
            date,
            digest,
            // Each sent as two header lines.
            'x-repeated': ['one', 'two'],
            'set-cookie': ['c=1', 'd=2'],
            signature: `keyId="${mastodon.keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`
          }
        }, res => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)) })
        req.on('error', reject)
        req.end(body)
      })
    }
    expect(await send('repeated-headers-joined', { 'x-repeated': 'one, two', 'set-cookie': 'c=1, d=2' })).toBe(202)
    expect(await send('repeated-headers-first-only', { 'x-repeated': 'one', 'set-cookie': 'c=1, d=2' })).toBe(401)
    expect(await send('repeated-cookies-first-only', { 'x-repeated': 'one, two', 'set-cookie': 'c=1' })).toBe(401)
  })
})
