import crypto from 'crypto'
import bs58 from 'bs58'

/** The multicodec prefixes (varint) of the key types FEP-521a peers publish. */
const ED25519_PUB = [0xed, 0x01]
const RSA_PUB = [0x85, 0x24]

/**
 * Turns a FEP-521a `publicKeyMultibase` (base58btc, `z…`, with a multicodec prefix) into a PEM
 * public key: Ed25519 (`z6Mk…`) or RSA (PKCS#1 DER). Null when it is neither or malformed.
 */
export function multikeyToPem (multibase: string): string | null {
  if (!multibase.startsWith('z')) return null
  let bytes: Uint8Array
  try {
    bytes = bs58.decode(multibase.slice(1))
  } catch {
    return null
  }
  try {
    if (bytes[0] === ED25519_PUB[0] && bytes[1] === ED25519_PUB[1] && bytes.length === 34) {
      const x = Buffer.from(bytes.subarray(2)).toString('base64url')
      return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string
    }
    if (bytes[0] === RSA_PUB[0] && bytes[1] === RSA_PUB[1]) {
      return crypto.createPublicKey({ key: Buffer.from(bytes.subarray(2)), format: 'der', type: 'pkcs1' }).export({ type: 'spki', format: 'pem' }) as string
    }
  } catch {
    return null
  }
  return null
}

/** The `publicKeyMultibase` of an Ed25519 public key (what a FEP-521a `Multikey` publishes). */
export function ed25519Multibase (publicKey: crypto.KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' })
  return 'z' + bs58.encode(Buffer.concat([Buffer.from(ED25519_PUB), Buffer.from(String(jwk.x), 'base64url')]))
}
