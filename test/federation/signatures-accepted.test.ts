import crypto from 'crypto'
import { Worker } from 'node:worker_threads'
import { api } from '../helpers/hub-process'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { KeyStyle, PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * Every signature scheme the hub verifies, each with a real request over loopback: RFC 9421 with
 * RSA (PKCS#1 v1.5 and PSS) and Ed25519 (key as PEM and as a FEP-521a Multikey), and
 * draft-cavage with an RFC 9530 Content-Digest instead of Digest.
 */
describe('signatures the inbox accepts', () => {
  let hub: TestHub
  let peer: FakePeer
  let coopId: string
  const inbox = (): string => `${hub.url}/u/sigcoop/inbox`

  beforeAll(async () => {
    hub = await startTestHub()
    peer = await new FakePeer().start()
    coopId = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'sigcoop', name: 'Signature Co-op' })).json.id
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const cases: Array<{ name: string, key: KeyStyle, style: 'cavage' | 'rfc9421', alg?: string | null }> = [
    { name: 'RFC 9421, rsa-v1_5-sha256', key: 'rsa', style: 'rfc9421', alg: 'rsa-v1_5-sha256' },
    { name: 'RFC 9421, RSA without alg (as Mastodon signs)', key: 'rsa', style: 'rfc9421', alg: null },
    { name: 'RFC 9421, rsa-pss-sha512', key: 'rsa', style: 'rfc9421', alg: 'rsa-pss-sha512' },
    { name: 'RFC 9421, Ed25519 key published as PEM', key: 'ed25519-pem', style: 'rfc9421', alg: 'ed25519' },
    { name: 'RFC 9421, Ed25519 key published as a FEP-521a Multikey', key: 'ed25519-multikey', style: 'rfc9421' },
    { name: 'draft-cavage with Content-Digest instead of Digest', key: 'rsa', style: 'cavage' }
  ]

  it.each(cases)('accepts and stores a Follow signed with $name', async ({ name, key, style, alg }) => {
    const actor = servePeerActor(peer, `signer-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, { key })
    const activity = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/follows/1`, type: 'Follow', actor: actor.id, object: coopId }
    const body = JSON.stringify(activity)
    const headers = style === 'rfc9421'
      ? signedHeaders(actor, inbox(), body, { style, overrides: alg === undefined ? {} : { alg } })
      : cavageWithContentDigest(actor, inbox(), body)
    const res = await postRaw(inbox(), body, headers)
    expect({ status: res.status, body: res.json }).toEqual({ status: 202, body: null })
    expect(await hub.hub.store.getActivity(activity.id)).not.toBeNull()
  })

  it('verifies an RFC 9421 signature on the signature thread, not on the event loop', async () => {
    const actor = servePeerActor(peer, 'signer-on-the-thread')
    const activity = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/follows/1`, type: 'Follow', actor: actor.id, object: coopId }
    const body = JSON.stringify(activity)
    // The hub runs in this process: what its signature thread is sent passes through here.
    const posted = jest.spyOn(Worker.prototype, 'postMessage')
    try {
      const res = await postRaw(inbox(), body, signedHeaders(actor, inbox(), body, { style: 'rfc9421', overrides: { alg: 'rsa-pss-sha512' } }))
      expect(res.status).toBe(202)
      const checks = posted.mock.calls.flatMap(([message]) => Array.isArray(message) ? message as unknown[][] : [])
      // [digest, PSS, signature base, key, signature]: the base is the RFC 9421 one, checked with PSS.
      expect(checks.filter(c => String(c[2]).includes('"@signature-params"')).map(c => [c[0], c[1], c[3]])).toEqual([['sha512', 1, publicPemOf(actor)]])
    } finally {
      posted.mockRestore()
    }
  })

  it.each(['rfc9421', 'cavage'] as const)('accepts a %s signature whose expires passed 30 s ago (clock skew)', async style => {
    const actor = servePeerActor(peer, `skewed-${style}`)
    const activity = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/follows/1`, type: 'Follow', actor: actor.id, object: coopId }
    const body = JSON.stringify(activity)
    const expires = Math.floor(Date.now() / 1000) - 30
    const headers = style === 'rfc9421'
      ? signedHeaders(actor, inbox(), body, { style, overrides: { created: expires - 60, expires } })
      : signedHeaders(actor, inbox(), body, { style, overrides: { headers: ['(request-target)', 'host', 'date', 'digest', '(expires)'], expires } })
    const res = await postRaw(inbox(), body, headers)
    expect({ status: res.status, body: res.json }).toEqual({ status: 202, body: null })
    expect(await hub.hub.store.getActivity(activity.id)).not.toBeNull()
  })
})

/** The peer actor's public key as the PEM its document publishes. */
function publicPemOf (actor: PeerActor): string {
  return crypto.createPublicKey(actor.privateKeyPem).export({ type: 'spki', format: 'pem' }) as string
}

/** A draft-cavage signature over an RFC 9530 Content-Digest (no Digest header at all). */
function cavageWithContentDigest (actor: PeerActor, inboxUrl: string, body: string): Record<string, string> {
  const url = new URL(inboxUrl)
  const date = new Date().toUTCString()
  const digest = `sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`
  const text = [`(request-target): post ${url.pathname}`, `host: ${url.host}`, `date: ${date}`, `content-digest: ${digest}`].join('\n')
  const signature = crypto.createSign('RSA-SHA256').update(text).sign(actor.privateKeyPem, 'base64')
  return {
    'content-type': 'application/activity+json',
    date,
    'content-digest': digest,
    signature: `keyId="${actor.keyId}",algorithm="rsa-sha256",headers="(request-target) host date content-digest",signature="${signature}"`
  }
}
