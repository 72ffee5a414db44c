import crypto from 'crypto'
import { FakePeer, mastodonSignedHeaders, MastodonSignOptions } from './fake-peer'
import { ed25519KeyPair, rfc9421SignedHeaders, Rfc9421SignOptions } from './rfc9421-signer'

/** How a fake peer's actor publishes its key. */
export type KeyStyle = 'rsa' | 'ed25519-pem' | 'ed25519-multikey'

/** An actor served by a fake peer, with its private key for signing. */
export interface PeerActor {
  id: string
  keyId: string
  inbox: string
  sharedInbox: string | null
  privateKey: crypto.KeyObject
  privateKeyPem: string
  document: Record<string, unknown>
}

/**
 * Serves an actor at `/users/<name>` on `peer`: its key as an RSA or Ed25519 PEM `publicKey`,
 * or as a FEP-521a `Multikey` in `assertionMethod` (Ed25519).
 */
export function servePeerActor (peer: FakePeer, name: string, options: { key?: KeyStyle, sharedInbox?: boolean } = {}): PeerActor {
  const id = `${peer.origin}/users/${name}`
  const style = options.key ?? 'rsa'
  const doc: Record<string, unknown> = {
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1', 'https://w3id.org/security/multikey/v1'],
    id,
    type: 'Person',
    preferredUsername: name,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    followers: `${id}/followers`
  }
  if (options.sharedInbox === true) doc.endpoints = { sharedInbox: `${peer.origin}/inbox` }
  let privateKey: crypto.KeyObject
  let keyId: string
  if (style === 'rsa') {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    privateKey = pair.privateKey
    keyId = `${id}#main-key`
    doc.publicKey = { id: keyId, owner: id, publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }) }
  } else {
    const pair = ed25519KeyPair()
    privateKey = pair.privateKey
    keyId = `${id}#ed25519-key`
    if (style === 'ed25519-pem') doc.publicKey = { id: keyId, owner: id, publicKeyPem: pair.publicKeyPem }
    else doc.assertionMethod = [{ id: keyId, type: 'Multikey', controller: id, publicKeyMultibase: pair.multibase }]
  }
  peer.serve(`/users/${name}`, doc)
  return {
    id,
    keyId,
    inbox: `${id}/inbox`,
    sharedInbox: options.sharedInbox === true ? `${peer.origin}/inbox` : null,
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    document: doc
  }
}

/** The headers of a POST signed by `actor`: draft-cavage (Mastodon style, RSA only) or RFC 9421. */
export function signedHeaders (actor: PeerActor, url: string, body: string, how: { style: 'cavage', overrides?: Partial<MastodonSignOptions> } | { style: 'rfc9421', overrides?: Partial<Rfc9421SignOptions> }): Record<string, string> {
  if (how.style === 'cavage') {
    return mastodonSignedHeaders({ url, body, keyId: actor.keyId, privateKeyPem: actor.privateKeyPem, ...how.overrides })
  }
  return rfc9421SignedHeaders({ url, body, keyId: actor.keyId, privateKey: actor.privateKey, ...how.overrides })
}

/** POSTs `body` with `headers` and answers the status, the JSON (or null) and the headers. */
export async function postRaw (url: string, body: string, headers: Record<string, string>): Promise<{ status: number, json: any, headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers, body })
  const text = await res.text()
  let json: any = null
  try { json = text ? JSON.parse(text) : null } catch { json = text }
  return { status: res.status, json, headers: res.headers }
}
