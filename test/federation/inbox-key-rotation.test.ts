import { FakePeer } from '../helpers/fake-peer'
import { api } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'
import { ed25519KeyPair } from '../helpers/rfc9421-signer'

/**
 * A peer that rotates its key: the inbox keeps the key's document between requests, so the first
 * request signed with the new key fails against the kept one, and the hub fetches the document
 * again, once, before it refuses.
 */
describe('a signing key rotated by its peer', () => {
  let hub: TestHub
  let peer: FakePeer
  let coopId: string

  beforeAll(async () => {
    hub = await startTestHub()
    peer = await new FakePeer().start()
    coopId = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'keeper', name: 'Keeper' })).json.id
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const post = async (actor: PeerActor, n: string, style: 'cavage' | 'rfc9421'): Promise<{ status: number, json: any }> => {
    // A Create of a Note: it writes nothing that moves what the hub keeps, so the key's document
    // stays kept from one request to the next.
    const doc = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${actor.id}/creates/${n}`,
      type: 'Create',
      actor: actor.id,
      to: coopId,
      object: { id: `${actor.id}/notes/${n}`, type: 'Note', attributedTo: actor.id, content: n }
    }
    const body = JSON.stringify(doc)
    const url = `${hub.url}/u/keeper/inbox`
    return await postRaw(url, body, signedHeaders(actor, url, body, { style }))
  }

  it.each(['cavage', 'rfc9421'] as const)('is taken once the hub fetched the new key (%s), and the old key is refused after', async style => {
    const before = servePeerActor(peer, `rotating-${style}`)
    expect((await post(before, 'old-key', style)).status).toBe(202)
    expect((await post(before, 'old-key-kept', style)).status).toBe(202)
    // The peer publishes a new key under the same keyId; the hub still keeps the old document.
    const after = servePeerActor(peer, `rotating-${style}`)
    expect(after.keyId).toBe(before.keyId)
    expect((await post(after, 'new-key', style)).status).toBe(202)
    expect((await post(after, 'new-key-again', style)).status).toBe(202)
    const refused = await post(before, 'old-key-again', style)
    expect(refused.status).toBe(401)
    expect(refused.json.message).toMatch(/does not verify/)
  })

  it('verifies each of an actor\'s two keys by its keyId from the kept document, without fetching it again', async () => {
    // An RSA key in publicKey and an Ed25519 Multikey in assertionMethod, in one document.
    const rsa = servePeerActor(peer, 'two-keys')
    const ed = ed25519KeyPair()
    const edKeyId = `${rsa.id}#ed25519-key`
    const document = { ...rsa.document, assertionMethod: [{ id: edKeyId, type: 'Multikey', controller: rsa.id, publicKeyMultibase: ed.multibase }] }
    peer.serve(`/users/two-keys`, document)
    const edActor: PeerActor = { ...rsa, keyId: edKeyId, privateKey: ed.privateKey, privateKeyPem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, document }
    expect((await post(rsa, 'two-keys-first', 'cavage')).status).toBe(202)
    // From here on the document can no longer be fetched: every answer comes from the kept one.
    peer.serve(`/users/two-keys`, undefined)
    for (const n of ['a', 'b']) {
      expect((await post(edActor, `two-keys-ed-${n}`, 'rfc9421')).status).toBe(202)
      expect((await post(rsa, `two-keys-rsa-${n}`, 'cavage')).status).toBe(202)
      expect((await post(rsa, `two-keys-rsa-9421-${n}`, 'rfc9421')).status).toBe(202)
    }
    // Signed with the RSA key under the Ed25519 key's id: refused.
    expect((await post({ ...rsa, keyId: edKeyId }, 'two-keys-mixed', 'rfc9421')).status).toBe(401)
  })
})
