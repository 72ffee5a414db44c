import crypto from 'crypto'

/**
 * How a signature is checked with a public key, whichever header scheme carried it (draft-cavage
 * or RFC 9421): the digest (null where the key's algorithm has its own, as Ed25519's) and whether
 * RSA is used with PSS padding (RFC 9421's `rsa-pss-sha512`) rather than PKCS #1 v1.5.
 */
export interface VerificationScheme {
  digest: 'sha256' | 'sha512' | null
  pss: boolean
}

/** RSA-PSS as RFC 9421 section 3.3.1 has it: the salt as long as the SHA-512 digest. */
const PSS_SALT_LENGTH = 64

/** What `crypto.verify` takes as the key: the key itself, or with PSS padding when the scheme says so. */
function verifyKey (scheme: VerificationScheme, key: crypto.KeyObject): crypto.KeyObject | crypto.VerifyKeyObjectInput {
  return scheme.pss ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH } : key
}

/** Verifies `signature` over the UTF-8 bytes of `text` on the event loop; false on any failure. */
export function verifyWithScheme (scheme: VerificationScheme, text: string, key: crypto.KeyObject, signature: Buffer): boolean {
  try {
    return crypto.verify(scheme.digest, Buffer.from(text), verifyKey(scheme, key), signature)
  } catch {
    return false
  }
}

/** `verifyWithScheme` with the public-key operation on libuv's thread pool, off the event loop. */
export function verifyWithSchemeOnPool (scheme: VerificationScheme, text: string, key: crypto.KeyObject, signature: Buffer): Promise<boolean> {
  return new Promise<boolean>(resolve => {
    try {
      crypto.verify(scheme.digest, Buffer.from(text), verifyKey(scheme, key), signature, (err, ok) => resolve(err === null && ok))
    } catch {
      resolve(false)
    }
  })
}
