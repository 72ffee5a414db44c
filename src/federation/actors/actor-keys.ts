import crypto from 'crypto'
import { promisify } from 'util'

const generateKeyPair = promisify(crypto.generateKeyPair)

/** A PEM key pair for an actor. */
export interface ActorKeyPair {
  publicKeyPem: string
  privateKeyPem: string
}

/** Generates an RSA-2048 key pair: what Mastodon and GoToSocial use and every peer verifies. */
export async function generateActorKeys (): Promise<ActorKeyPair> {
  const pair = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  return { publicKeyPem: pair.publicKey, privateKeyPem: pair.privateKey }
}
