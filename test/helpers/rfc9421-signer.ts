import crypto from 'crypto'

/** Options for an RFC 9421 signature the way Mastodon 4.4+ sends one; overrides make forgeries. */
export interface Rfc9421SignOptions {
  url: string
  body: string
  keyId: string
  privateKey: crypto.KeyObject
  /** `rsa-v1_5-sha256`, `rsa-pss-sha512` or `ed25519`; left out of the parameters when null. */
  alg?: string | null
  /** Seconds since 1970; defaults to now. */
  created?: number
  /** Seconds since 1970; no `expires` parameter when left out. */
  expires?: number
  components?: string[]
  /** Content-Digest to send (defaults to the real SHA-256 of the body); null sends none. */
  contentDigest?: string | null
  label?: string
  /** Replaces the whole Signature-Input value (malformed input). */
  rawSignatureInput?: string
}

/**
 * The headers of a request signed per RFC 9421, built here by hand, independently of the hub's
 * code: `Signature-Input`, `Signature`, `Content-Digest`, `Content-Type`.
 */
export function rfc9421SignedHeaders (opts: Rfc9421SignOptions): Record<string, string> {
  const url = new URL(opts.url)
  const contentDigest = opts.contentDigest === undefined ? `sha-256=:${crypto.createHash('sha256').update(opts.body).digest('base64')}:` : opts.contentDigest
  const components = opts.components ?? ['@method', '@target-uri', 'content-digest', 'content-type']
  const created = opts.created ?? Math.floor(Date.now() / 1000)
  const alg = opts.alg === undefined ? (opts.privateKey.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa-v1_5-sha256') : opts.alg
  const headers: Record<string, string> = { 'content-type': 'application/activity+json' }
  if (contentDigest !== null) headers['content-digest'] = contentDigest
  const value = (c: string): string => {
    if (c === '@method') return 'POST'
    if (c === '@target-uri') return url.href
    if (c === '@authority') return url.host
    if (c === '@path') return url.pathname
    return headers[c] ?? ''
  }
  let params = `(${components.map(c => `"${c}"`).join(' ')});created=${created};keyid="${opts.keyId}"`
  if (opts.expires !== undefined) params += `;expires=${opts.expires}`
  if (alg !== null) params += `;alg="${alg}"`
  const base = [...components.map(c => `"${c}": ${value(c)}`), `"@signature-params": ${params}`].join('\n')
  const data = Buffer.from(base)
  let signature: Buffer
  if (alg === 'rsa-pss-sha512') {
    signature = crypto.sign('sha512', data, { key: opts.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 })
  } else if (opts.privateKey.asymmetricKeyType === 'ed25519') {
    signature = crypto.sign(null, data, opts.privateKey)
  } else {
    signature = crypto.sign('sha256', data, opts.privateKey)
  }
  const label = opts.label ?? 'sig1'
  headers['signature-input'] = opts.rawSignatureInput ?? `${label}=${params}`
  headers.signature = `${label}=:${signature.toString('base64')}:`
  return headers
}

/** A fresh Ed25519 key pair, with the public key as PEM and as a FEP-521a multibase (`z6Mk…`). */
export function ed25519KeyPair (): { publicKey: crypto.KeyObject, privateKey: crypto.KeyObject, publicKeyPem: string, multibase: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519')
  const raw = Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url')
  return {
    publicKey,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    multibase: 'z' + base58(Buffer.concat([Buffer.from([0xed, 0x01]), raw]))
  }
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** base58btc, written out here so the test does not use the library the hub decodes with. */
function base58 (bytes: Buffer): string {
  let n = BigInt('0x' + (bytes.toString('hex') || '0'))
  let out = ''
  while (n > 0n) { out = ALPHABET[Number(n % 58n)] + out; n /= 58n }
  for (const b of bytes) { if (b === 0) out = '1' + out; else break }
  return out
}
