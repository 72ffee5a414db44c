import crypto from 'crypto'

/** How many parsed keys are kept: every active peer's key, with room to spare. */
const MAX_KEYS = 2000

const publicKeys = new Map<string, crypto.KeyObject>()
const privateKeys = new Map<string, crypto.KeyObject>()

/**
 * The KeyObject of a PEM, parsed once: parsing an RSA PEM costs several times what verifying a
 * signature with it does, and the same few keys sign most requests. The least recently used
 * key is dropped beyond MAX_KEYS. Undefined for a PEM that is not a public key (a signature
 * checked with it does not verify).
 */
export function publicKeyObject (pem: string): crypto.KeyObject | undefined {
  try {
    return cached(publicKeys, pem, () => crypto.createPublicKey(pem))
  } catch {
    return undefined
  }
}

/** The KeyObject of a private PEM (the hub's own actors' keys), parsed once. */
export function privateKeyObject (pem: string): crypto.KeyObject {
  return cached(privateKeys, pem, () => crypto.createPrivateKey(pem))
}

function cached (cache: Map<string, crypto.KeyObject>, pem: string, parse: () => crypto.KeyObject): crypto.KeyObject {
  const hit = cache.get(pem)
  if (hit !== undefined) {
    // Map keeps insertion order: re-inserting marks the key as recently used.
    cache.delete(pem)
    cache.set(pem, hit)
    return hit
  }
  const key = parse()
  cache.set(pem, key)
  if (cache.size > MAX_KEYS) cache.delete(cache.keys().next().value as string)
  return key
}
