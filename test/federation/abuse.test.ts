import path from 'path'
import Database from 'better-sqlite3'
import { runCli } from '../../src/cli/main'
import { snapshotDatabase } from '../helpers/db-snapshot'
import { FakePeer } from '../helpers/fake-peer'
import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'
import { waitForQuietHub } from '../helpers/quiet-hub'

/**
 * Abuse controls: the per-host inbox rate limit, domain blocks from the admin API and the CLI
 * (refusing inbound, stopping outbound), and secrets that never reach a response or a log.
 */

const followOf = (actor: PeerActor, coopId: string, n: string): Record<string, unknown> =>
  ({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/follows/${n}`, type: 'Follow', actor: actor.id, object: coopId })

async function signedPost (hubUrl: string, path: string, actor: PeerActor, doc: Record<string, unknown>): Promise<{ status: number, json: any, headers: Headers }> {
  const body = JSON.stringify(doc)
  return await postRaw(`${hubUrl}${path}`, body, signedHeaders(actor, `${hubUrl}${path}`, body, { style: 'cavage' }))
}

describe('per-host inbox rate limit', () => {
  let hub: TestHub
  let peerA: FakePeer
  let peerB: FakePeer

  beforeAll(async () => {
    hub = await startTestHub({ HUB_INBOX_RATE_LIMIT: '3' })
    peerA = await new FakePeer().start()
    peerB = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await peerA?.stop()
    await peerB?.stop()
  })

  it('answers 429 with Retry-After once a host used its budget, changes nothing, and keeps serving other hosts', async () => {
    const coopId = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'limited', name: 'Limited' })).json.id
    const flood = servePeerActor(peerA, 'flood')
    const calm = servePeerActor(peerB, 'calm')
    for (let i = 0; i < 3; i++) expect((await signedPost(hub.url, '/u/limited/inbox', flood, followOf(flood, coopId, `ok-${i}`))).status).toBe(202)
    // The three Accepts are resolved and delivered in the background: let them go before the snapshot.
    await waitForQuietHub(hub.hub)
    const before = snapshotDatabase(hub.hub.config.dataDir)
    const limited = await signedPost(hub.url, '/u/limited/inbox', flood, followOf(flood, coopId, 'too-many'))
    expect(limited.status).toBe(429)
    expect(limited.json).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/Too many requests from 127\.0\.0\.1:\d+/) })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
    expect((await signedPost(hub.url, '/u/limited/inbox', calm, followOf(calm, coopId, 'other-host'))).status).toBe(202)
  })
})

describe('rate limits that a keyId cannot dodge', () => {
  let hub: TestHub

  beforeAll(async () => { hub = await startTestHub({ HUB_INBOX_ADDRESS_RATE_LIMIT: '3' }) })
  afterAll(async () => { await hub?.stop() })

  it('counts per client address before verification: keyIds with other ports or subdomains share one budget', async () => {
    const before = snapshotDatabase(hub.hub.config.dataDir)
    // Unverifiable on purpose (digest not signed): refused before any key is fetched, so no name is looked up.
    const claimed = ['http://127.0.0.1:1/actor#main-key', 'http://127.0.0.1:2/actor#main-key', 'https://a.attacker.example/actor#main-key', 'https://b.attacker.example/actor#main-key']
    const statuses: number[] = []
    let last: { status: number, json: any, headers: Headers } | undefined
    for (const keyId of claimed) {
      last = await postRaw(`${hub.url}/inbox`, '{"type":"Follow"}', {
        'content-type': 'application/activity+json',
        date: new Date().toUTCString(),
        signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date",signature="AAAA"`
      })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([401, 401, 401, 429])
    expect(last?.json.message).toMatch(/Too many requests from the address .*127\.0\.0\.1/)
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
  })
})

describe('key fetches per host', () => {
  let hub: TestHub
  let peer: FakePeer
  let otherPort: FakePeer

  beforeAll(async () => {
    hub = await startTestHub({ HUB_KEY_FETCH_LIMIT: '2' })
    peer = await new FakePeer().start()
    otherPort = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
    await otherPort?.stop()
  })

  it('are capped per host name, whatever the port: the next unknown key gets 429 and is not fetched', async () => {
    const coopId = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'keys', name: 'Keys' })).json.id
    const [first, second] = [servePeerActor(peer, 'first'), servePeerActor(peer, 'second')]
    const onOtherPort = servePeerActor(otherPort, 'third')
    expect((await signedPost(hub.url, '/u/keys/inbox', first, followOf(first, coopId, '1'))).status).toBe(202)
    expect((await signedPost(hub.url, '/u/keys/inbox', second, followOf(second, coopId, '1'))).status).toBe(202)
    // A known key is not fetched again: it is not counted.
    expect((await signedPost(hub.url, '/u/keys/inbox', first, followOf(first, coopId, '2'))).status).toBe(202)
    const refused = await signedPost(hub.url, '/u/keys/inbox', onOtherPort, followOf(onOtherPort, coopId, '1'))
    expect(refused.status).toBe(429)
    expect(refused.json.message).toMatch(/Too many signing keys fetched from 127\.0\.0\.1 in the last minute/)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await hub.hub.store.getObject(onOtherPort.id)).toBeNull()
  })
})

describe('domain blocks', () => {
  let hub: TestHub
  let peer: FakePeer
  let spam: PeerActor
  let coop: { id: string, token: string }

  beforeAll(async () => {
    hub = await startTestHub()
    peer = await new FakePeer().start()
    spam = servePeerActor(peer, 'spammer')
    coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'blocker', name: 'Blocker' })).json
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const domain = (): string => new URL(peer.origin).host

  it('are managed by the admin through the API, with clear errors', async () => {
    expect((await api(hub, 'POST', '/api/v1/admin/domain-blocks', coop.token, { domain: 'x.example' })).status).toBe(403)
    expect((await api(hub, 'GET', '/api/v1/admin/domain-blocks')).status).toBe(401)
    const bad = await api(hub, 'POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: 'x.example/path' })
    expect(bad).toMatchObject({ status: 400, json: { error: 'invalid_request', fields: { domain: expect.stringMatching(/no path/) } } })
    expect((await api(hub, 'POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: 'x.example', extra: 1 })).status).toBe(400)
    const added = await api(hub, 'POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: 'Spam.Example', reason: 'spam' })
    expect(added).toMatchObject({ status: 201, json: { domain: 'spam.example', reason: 'spam', deliveriesEnded: 0 } })
    expect((await api(hub, 'POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: 'spam.example', reason: 'still spam' })).status).toBe(200)
    expect((await api(hub, 'GET', '/api/v1/admin/domain-blocks', hub.adminToken)).json.items).toEqual([{ domain: 'spam.example', reason: 'still spam', createdAt: expect.any(String) }])
    expect((await api(hub, 'DELETE', '/api/v1/admin/domain-blocks/spam.example', hub.adminToken)).status).toBe(204)
    expect((await api(hub, 'DELETE', '/api/v1/admin/domain-blocks/spam.example', hub.adminToken)).status).toBe(404)
  })

  it('refuse inbound requests from a blocked domain and accept them again once lifted', async () => {
    await api(hub, 'POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: domain() })
    const before = snapshotDatabase(hub.hub.config.dataDir)
    const refused = await signedPost(hub.url, '/u/blocker/inbox', spam, followOf(spam, coop.id, 'while-blocked'))
    expect(refused).toMatchObject({ status: 403, json: { error: 'domain_blocked' } })
    expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
    await api(hub, 'DELETE', `/api/v1/admin/domain-blocks/${encodeURIComponent(domain())}`, hub.adminToken)
    expect((await signedPost(hub.url, '/u/blocker/inbox', spam, followOf(spam, coop.id, 'after-unblock'))).status).toBe(202)
    await eventually(async () => peer.postsTo(spam.inbox.replace(peer.origin, '')).length > 0 ? true : undefined, 'the Accept')
  })

  it('stop outbound: queued deliveries end, nothing new is queued or fetched', async () => {
    // The follower's inbox is busy, so the Create stays queued for an hour.
    peer.answerPosts('/users/spammer/inbox', [{ status: 503, headers: { 'retry-after': '3600' } }])
    await api(hub, 'PUT', '/api/v1/coops/blocker/services/files', coop.token, { name: 'Files', category: 'file-hosting', url: 'https://files.example', access: 'public' })
    await eventually(async () => (await hub.hub.store.listDeliveryFailures(100)).length === 0 && (await hub.hub.store.deliveryControl.hostSummary()).some(h => h.host === domain() && h.retrying === 1) ? true : undefined, 'the delivery to be retrying')
    const blocked = await api(hub, 'POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: domain() })
    expect(blocked.json.deliveriesEnded).toBe(1)
    expect(await hub.hub.store.deliveryQueueSize()).toBe(0)
    const posts = peer.received.length
    await api(hub, 'PUT', '/api/v1/coops/blocker/services/mail', coop.token, { name: 'Mail', category: 'email', url: 'https://mail.example', access: 'public' })
    expect(await hub.hub.store.deliveryQueueSize()).toBe(0)
    // A follow of an actor there is refused before any request goes out.
    const follow = await api(hub, 'POST', '/api/v1/coops/blocker/follows', coop.token, { target: `${peer.origin}/users/someone` })
    expect(follow.status).toBe(403)
    expect(peer.received.length).toBe(posts)
    await api(hub, 'DELETE', `/api/v1/admin/domain-blocks/${encodeURIComponent(domain())}`, hub.adminToken)
  })

  it('are managed from the CLI too, on the store the running hub uses', async () => {
    const lines: string[] = []
    const saved = { DATA_DIR: process.env.DATA_DIR, HUB_URL: process.env.HUB_URL }
    process.env.DATA_DIR = hub.hub.config.dataDir
    process.env.HUB_URL = hub.url
    try {
      expect(await runCli(['domain-block', 'add', domain(), '--reason', 'from the CLI'], l => lines.push(l))).toBe(0)
      expect(lines.join('\n')).toContain(`Blocked: ${domain()}`)
      expect((await signedPost(hub.url, '/u/blocker/inbox', spam, followOf(spam, coop.id, 'cli-blocked'))).status).toBe(403)
      lines.length = 0
      expect(await runCli(['domain-block', 'list'], l => lines.push(l))).toBe(0)
      expect(lines.join('\n')).toMatch(new RegExp(`${domain().replace(/\./g, '\\.')}\\t.*\\tfrom the CLI`))
      expect(await runCli(['domain-block', 'add', 'not a domain'], l => lines.push(l))).toBe(1)
      lines.length = 0
      expect(await runCli(['domain-block', 'remove', domain()], l => lines.push(l))).toBe(0)
      expect(lines).toEqual([`Unblocked: ${domain()}`])
      expect((await signedPost(hub.url, '/u/blocker/inbox', spam, followOf(spam, coop.id, 'cli-unblocked'))).status).toBe(202)
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v }
    }
  })
})

describe('secrets', () => {
  let hub: HubProcess
  let peer: FakePeer

  beforeAll(async () => {
    hub = await startHubProcess({ env: { LOG_LEVEL: 'trace' } })
    peer = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  it('never puts a token or a private key in a response, a log line or a delivery', async () => {
    const responses: string[] = []
    const call = async (method: string, pathname: string, token?: string, body?: unknown): Promise<{ status: number, json: any }> => {
      const res = await api(hub, method, pathname, token, body)
      responses.push(JSON.stringify(res.json))
      return res
    }
    const created = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'secretive', name: 'Secretive' })
    const coopToken: string = created.json.token
    // The token is shown once, in the answer that creates it; nothing else in that answer is secret.
    responses.push(JSON.stringify({ ...created.json, token: '(issued)' }))
    await call('GET', '/api/v1/coops/secretive')
    await call('PUT', '/api/v1/coops/secretive/services/files', coopToken, { name: 'Files', category: 'file-hosting', url: 'https://f.example', access: 'public' })
    await call('PUT', '/api/v1/coops/secretive/services/bad', coopToken, { name: 1 })
    await call('GET', '/api/v1/admin/deliveries', coopToken)
    await call('GET', '/api/v1/admin/deliveries', `${hub.adminToken}x`)
    await call('GET', '/api/v1/admin/deliveries', hub.adminToken)
    await call('GET', '/api/v1/admin/deliveries/hosts', hub.adminToken)
    await call('POST', '/api/v1/admin/domain-blocks', hub.adminToken, { domain: 'spam.example' })
    await call('GET', '/api/v1/admin/domain-blocks', hub.adminToken)
    for (const p of ['/u/secretive', '/actor', '/u/secretive/outbox', '/u/secretive/followers', '/.well-known/webfinger?resource=acct:secretive@127.0.0.1', '/nodeinfo/2.1']) {
      responses.push(await (await fetch(`${hub.url}${p}`, { headers: { accept: 'application/activity+json', authorization: `Bearer ${coopToken}` } })).text())
    }
    // A follower, so a delivery goes out and the peer can show what it got.
    const fan = servePeerActor(peer, 'fan')
    const coopId = created.json.id
    responses.push(JSON.stringify((await signedPost(hub.url, '/u/secretive/inbox', fan, followOf(fan, coopId, 'secret-follow'))).json))
    await eventually(async () => peer.received.length > 0 ? true : undefined, 'the Accept')
    await call('PUT', '/api/v1/coops/secretive/services/files', coopToken, { name: 'Files 2', category: 'file-hosting', url: 'https://f.example', access: 'public' })
    await eventually(async () => peer.received.length > 1 ? true : undefined, 'the Update')

    const privateKeys = readPrivateKeys(hub.dataDir)
    expect(privateKeys.length).toBeGreaterThanOrEqual(2)
    const secrets = [hub.adminToken, coopToken, ...privateKeys.map(pemBody)]
    const places: Array<[string, string]> = [
      ['responses', responses.join('\n')],
      ['the log', hub.output()],
      ['deliveries', peer.received.map(r => JSON.stringify(r.headers) + r.body).join('\n')]
    ]
    expect(hub.output()).toMatch(/"level":20/) // the most talkative level was on: debug lines were written
    for (const [where, text] of places) {
      for (const secret of secrets) {
        expect({ where, found: text.includes(secret) }).toEqual({ where, found: false })
      }
    }
  })
})

/** The private keys the hub keeps (in `_meta`), read straight from its database. */
function readPrivateKeys (dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'hub.sqlite'), { readonly: true })
  try {
    return db.prepare<[], { meta: string }>('SELECT meta FROM objects WHERE meta IS NOT NULL').all()
      .map(r => JSON.parse(r.meta)?.privateKey).filter((k): k is string => typeof k === 'string')
  } finally {
    db.close()
  }
}

/** A distinctive stretch of a PEM key's base64 (a key split over lines is still found). */
function pemBody (pem: string): string {
  return pem.split('\n').filter(l => l && !l.startsWith('-----'))[3]
}
