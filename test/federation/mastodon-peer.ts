import fs from 'fs'
import path from 'path'
import { FakePeer, testKeyPair } from '../helpers/fake-peer'

const PEERS = path.join(__dirname, '..', 'fixtures', 'peers')

/** A fake Mastodon server on loopback serving the recorded actor shape with a real test key. */
export interface MastodonPeer {
  peer: FakePeer
  actorId: string
  keyId: string
  privateKeyPem: string
  publicKeyPem: string
  sharedInbox: string
}

/** Loads a recorded peer document with its host replaced by the fake peer's origin. */
export function loadPeerFixture (name: string, origin: string, replacements: Record<string, string> = {}): any {
  let text = fs.readFileSync(path.join(PEERS, name), 'utf8').replaceAll('https://mastodon.test', origin)
  for (const [from, to] of Object.entries(replacements)) text = text.replaceAll(from, to)
  return JSON.parse(text)
}

/** Starts a fake Mastodon with the recorded actor `alice`. */
export async function startMastodonPeer (): Promise<MastodonPeer> {
  const peer = await new FakePeer().start()
  const keys = testKeyPair()
  const actor = loadPeerFixture('mastodon-actor.json', peer.origin)
  actor.publicKey.publicKeyPem = keys.publicKeyPem
  const actorPath = new URL(actor.id).pathname
  peer.serve(actorPath, actor)
  return {
    peer,
    actorId: actor.id,
    keyId: actor.publicKey.id,
    privateKeyPem: keys.privateKeyPem,
    publicKeyPem: keys.publicKeyPem,
    sharedInbox: new URL(actor.endpoints.sharedInbox).pathname
  }
}
