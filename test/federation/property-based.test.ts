import fc from 'fast-check'
import { api } from '../helpers/hub-process'
import { DatabaseSnapshot, snapshotDatabase } from '../helpers/db-snapshot'
import { FakePeer, mastodonSignedHeaders, testKeyPair } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'
import { waitForStillHub } from '../helpers/quiet-hub'

/**
 * Property-based tests: random and mutated activities (validly signed, so they reach everything
 * behind the signature check), random bodies without a signature, and random API bodies. The
 * hub must never answer 5xx, and must change nothing when it refuses (4xx). Every IRI the
 * generators produce is on loopback (the peer, the hub, or a closed port), so no request ever
 * leaves the machine whatever the hub decides to fetch.
 */
// Each property sends its runs over real HTTP; on a loaded 2-core machine that takes tens of seconds.
jest.setTimeout(120_000)

describe('property-based: random input never breaks the hub', () => {
  let hub: TestHub
  let peer: FakePeer
  let attacker: FakePeer
  let alice: PeerActor
  let coop: { id: string, token: string }
  const RUNS = Number(process.env.PROPERTY_RUNS ?? 40)

  beforeAll(async () => {
    hub = await startTestHub({ HUB_INBOX_RATE_LIMIT: '1000000' })
    peer = await new FakePeer().start()
    attacker = await new FakePeer().start()
    alice = servePeerActor(peer, 'alice', { sharedInbox: true })
    peer.openRedirect('/redirect')
    peer.serve('/users/alice/notes/1', { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/notes/1`, type: 'Note', attributedTo: alice.id, content: 'a note' })
    coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'prop', name: 'Property Co-op' })).json
    await api(hub, 'PUT', '/api/v1/coops/prop/services/files', coop.token, { name: 'Files', category: 'file-hosting', url: 'https://files.example', access: 'public' })
    // alice's key is fetched and cached on her first signed request (verified, so kept even when
    // the request is then refused): warm the cache so that the comparisons below see only the
    // effects of each generated request.
    expect(await signedPost('/u/prop/inbox', { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/activities/warm-up`, type: 'Follow', actor: alice.id, object: coop.id })).toBe(202)
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
    await attacker?.stop()
  })

  /** Answers the status; checks the two invariants (no 5xx; nothing changed on a refusal). */
  async function check (send: () => Promise<number>): Promise<number> {
    await settle()
    const before: DatabaseSnapshot = snapshotDatabase(hub.hub.config.dataDir)
    const status = await send()
    await settle()
    expect(status).toBeLessThan(500)
    if (status >= 400) expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
    return status
  }

  /** Waits until the handlers and the deliveries an earlier request caused are done and the database is still. */
  async function settle (): Promise<void> {
    await waitForStillHub(hub.hub)
  }

  const signedPost = async (path: string, doc: unknown): Promise<number> => {
    const body = JSON.stringify(doc)
    return (await postRaw(`${hub.url}${path}`, body, signedHeaders(alice, `${hub.url}${path}`, body, { style: 'cavage' }))).status
  }

  /** The generators; built once the peer and the hub are up (they use their addresses). */
  function arbitraries (): { iri: () => fc.Arbitrary<string>, activity: fc.Arbitrary<Record<string, unknown>> } {
    // IRIs from a closed set: alice's server, this hub, a loopback port nothing listens on, non-URLs.
    const iri = (): fc.Arbitrary<string> => fc.oneof(
      fc.constantFrom(alice.id, `${alice.id}/notes/1`, `${alice.id}/followers`, coop.id, `${coop.id}/followers`, `${hub.url}/u/nobody`,
        'https://www.w3.org/ns/activitystreams#Public', 'http://127.0.0.1:1/users/ghost', 'urn:uuid:1234', 'not a url', ''),
      fc.string({ maxLength: 12 }).map(s => `${alice.id}/things/${encodeURIComponent(s)}`)
    )
    const types = fc.constantFrom('Follow', 'Create', 'Update', 'Delete', 'Undo', 'Like', 'Announce', 'Accept', 'Reject', 'Offer', 'Add', 'Remove', 'Block', 'Flag', 'Note', 'Page', 'Question', 'X')
    const objectValue = fc.oneof(
      iri(),
      fc.record({ id: iri(), type: types, attributedTo: iri(), content: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
      fc.array(iri(), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 3 })
    )
    const activity = fc.record({
      '@context': fc.constantFrom('https://www.w3.org/ns/activitystreams', ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1']),
      // Mostly alice's own ids; also ids claimed on this hub or on another server (refused).
      id: fc.tuple(fc.constantFrom(`${alice.id}/activities/`, `${alice.id}/activities/`, `${hub.url}/s/`, 'http://127.0.0.1:1/users/ghost#follows/'), fc.string({ minLength: 1, maxLength: 10 }))
        .map(([base, s]) => `${base}${encodeURIComponent(s)}-${Math.random().toString(36).slice(2)}`),
      shares: fc.oneof(iri(), fc.constant(`${hub.url}/s/x/shares`)),
      likes: fc.oneof(iri(), fc.constant(`${hub.url}/s/x/likes`)),
      type: fc.oneof(types, fc.array(types, { maxLength: 2 })),
      actor: fc.oneof(fc.constant(alice.id), fc.constant(alice.id), iri()),
      object: objectValue,
      to: fc.oneof(iri(), fc.array(iri(), { maxLength: 3 })),
      cc: fc.array(iri(), { maxLength: 2 }),
      target: iri()
    }, { requiredKeys: ['@context', 'id', 'actor'] })
    return { iri, activity }
  }

  it('random signed activities, at the personal and the shared inbox', async () => {
    await fc.assert(fc.asyncProperty(arbitraries().activity, fc.boolean(), async (doc, shared) => {
      await check(() => signedPost(shared ? '/inbox' : '/u/prop/inbox', doc))
    }), { numRuns: RUNS })
  })

  it('valid activities with random mutations (keys dropped, values replaced, wrong types)', async () => {
    const valid = (): Array<Record<string, unknown>> => [
      { '@context': 'https://www.w3.org/ns/activitystreams', type: 'Follow', actor: alice.id, object: coop.id },
      { '@context': 'https://www.w3.org/ns/activitystreams', type: 'Like', actor: alice.id, object: `${alice.id}/notes/1`, to: coop.id },
      { '@context': 'https://www.w3.org/ns/activitystreams', type: 'Create', actor: alice.id, to: ['https://www.w3.org/ns/activitystreams#Public', coop.id], object: { id: `${alice.id}/notes/n`, type: 'Note', attributedTo: alice.id, content: 'hi' } }
    ]
    const mutation = fc.tuple(fc.constantFrom('@context', 'type', 'actor', 'object', 'to', 'id', 'shares', 'likes', 'nested'), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 4 }), arbitraries().iri()))
    await fc.assert(fc.asyncProperty(fc.nat({ max: 2 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (which, mutations, shared) => {
      const doc: Record<string, unknown> = { ...valid()[which], id: `${alice.id}/activities/m-${Math.random().toString(36).slice(2)}` }
      for (const [key, value] of mutations) {
        if (key === 'nested') doc.object = { object: doc.object, type: value }
        else if (value === undefined) delete doc[key]
        else doc[key] = value
      }
      await check(() => signedPost(shared ? '/inbox' : '/u/prop/inbox', doc))
    }), { numRuns: RUNS })
  })

  it('a keyId through an open redirect never lets another server\'s document count for the redirecting one', async () => {
    const keys = testKeyPair()
    const storedAlice = async (): Promise<string> => JSON.stringify(await hub.hub.store.getObject(alice.id))
    const aliceBefore = await storedAlice()
    let n = 0
    // What the attacker's document claims to be, and what the signed activity claims as its actor.
    const claim = fc.constantFrom(alice.id, `${peer.origin}/users/bob`, `${attacker.origin}/users/mallory`)
    const shape = fc.record({ id: claim, actor: claim, keyStub: fc.boolean(), hops: fc.integer({ min: 1, max: 2 }), fragment: fc.constantFrom('#main-key', '', '#k') })
    await fc.assert(fc.asyncProperty(shape, fc.boolean(), async (s, shared) => {
      const path = `/forged/${n++}`
      let keyUrl = `${attacker.origin}${path}`
      for (let hop = 0; hop < s.hops; hop++) keyUrl = `${peer.origin}/redirect?to=${encodeURIComponent(keyUrl)}`
      const keyId = `${keyUrl}${s.fragment}`
      const publicKey = { id: keyId, owner: s.id, publicKeyPem: keys.publicKeyPem }
      attacker.serve(path, s.keyStub
        ? { '@context': 'https://w3id.org/security/v1', ...publicKey, id: s.id }
        : { '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'], id: s.id, type: 'Person', inbox: `${attacker.origin}/stolen`, publicKey })
      const inbox = shared ? '/inbox' : '/u/prop/inbox'
      const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${s.actor}/activities/forged-${n}`, type: 'Follow', actor: s.actor, object: coop.id })
      const status = await check(async () => (await postRaw(`${hub.url}${inbox}`, body, mastodonSignedHeaders({ url: `${hub.url}${inbox}`, body, keyId, privateKeyPem: keys.privateKeyPem }))).status)
      expect([401, 403]).toContain(status)
      expect(await storedAlice()).toBe(aliceBefore)
    }), { numRuns: RUNS })
  })

  it('an accepted request replayed byte for byte (after anything, an Undo included) is a 202 that changes nothing', async () => {
    await fc.assert(fc.asyncProperty(arbitraries().activity, fc.boolean(), fc.boolean(), async (doc, shared, undoFirst) => {
      const path = shared ? '/inbox' : '/u/prop/inbox'
      const body = JSON.stringify(doc)
      const headers = signedHeaders(alice, `${hub.url}${path}`, body, { style: 'cavage' })
      const status = await check(async () => (await postRaw(`${hub.url}${path}`, body, headers)).status)
      if (status >= 300 || typeof doc.id !== 'string') return
      if (undoFirst) {
        await check(() => signedPost(path, { '@context': 'https://www.w3.org/ns/activitystreams', id: `${doc.id}/undo`, type: 'Undo', actor: alice.id, to: coop.id, object: doc.id }))
      }
      await settle()
      const before = snapshotDatabase(hub.hub.config.dataDir)
      expect((await postRaw(`${hub.url}${path}`, body, headers)).status).toBe(202)
      await settle()
      expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
    }), { numRuns: RUNS })
  })

  it('random bodies and media types without a signature are refused and change nothing', async () => {
    const contentType = fc.constantFrom('application/activity+json', 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', '')
    const body = fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 5 }).map(v => JSON.stringify(v)))
    await fc.assert(fc.asyncProperty(body, contentType, fc.constantFrom('/inbox', '/u/prop/inbox', '/actor/inbox', '/u/nobody/inbox'), async (text, type, path) => {
      const status = await check(async () => (await fetch(`${hub.url}${path}`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: text })).status)
      expect(status).toBeGreaterThanOrEqual(400)
    }), { numRuns: RUNS })
  })

  it('JSON nested thousands of levels deep, at the inboxes and the API, gets 400 and changes nothing', async () => {
    const deep = fc.record({
      levels: fc.integer({ min: 33, max: 100_000 }),
      open: fc.constantFrom('[', '{"a":'),
      path: fc.constantFrom('/inbox', '/u/prop/inbox', '/actor/inbox', '/api/v1/coops', '/api/v1/admin/domain-blocks')
    })
    await fc.assert(fc.asyncProperty(deep, async ({ levels, open, path }) => {
      const body = open.repeat(levels) + (open === '[' ? '' : '1') + (open === '[' ? ']' : '}').repeat(levels)
      const type = path.startsWith('/api') ? 'application/json' : 'application/activity+json'
      const status = await check(async () => (await fetch(`${hub.url}${path}`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${hub.adminToken}` }, body })).status)
      expect(status).toBe(400)
    }), { numRuns: RUNS, examples: [[{ levels: 5_000, open: '{"a":', path: '/api/v1/coops' }], [{ levels: 100_000, open: '[', path: '/api/v1/admin/domain-blocks' }]] })
  })

  it('random API bodies for co-ops, services and domain blocks', async () => {
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('https://x.example', 'automatic', 'approval', 'file-hosting', 'members', 'public', 'spam.example'))
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom('username', 'name', 'summary', 'url', 'icon', 'followPolicy', 'category', 'access', 'software', 'domain', 'reason', 'status', 'extra'), value, { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 3 })
    )
    const endpoint = fc.constantFrom(
      { method: 'POST', path: '/api/v1/coops', admin: true },
      { method: 'PUT', path: '/api/v1/coops/prop/services/', admin: false },
      { method: 'POST', path: '/api/v1/admin/domain-blocks', admin: true }
    )
    await fc.assert(fc.asyncProperty(endpoint, body, fc.string({ maxLength: 12 }), async (e, doc, key) => {
      const path = e.path.endsWith('/') ? `${e.path}${encodeURIComponent(key) || 'k'}` : e.path
      await check(async () => (await api(hub, e.method, path, e.admin ? hub.adminToken : coop.token, doc)).status)
    }), { numRuns: RUNS })
  })
})
