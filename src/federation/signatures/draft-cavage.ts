import crypto from 'crypto'
import { privateKeyObject, publicKeyObject } from './key-objects'
import { VerificationScheme, verifyWithScheme, verifyWithSchemeOnPool } from './public-key-check'

/**
 * HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures-12): Mastodon,
 * GoToSocial, Misskey and Fedify sign `(request-target) host date digest` with RSA-SHA256 under
 * the label `rsa-sha256` or `hs2019`. Kept in the hub, not delegated to `http-signature`, because
 * that library refuses `hs2019` and Ed25519 keys, both of which peers send.
 */

/** The parameters of a `Signature` header. */
export interface SignatureParams {
  keyId: string
  algorithm: string | null
  headers: string[]
  signature: string
  created: number | null
  expires: number | null
}

/** A request as far as signing needs it; header names in lower case. */
export interface SignableRequest {
  method: string
  /** Path and query exactly as sent, e.g. `/u/coop/inbox`. */
  path: string
  headers: Record<string, string | undefined>
}

/** Parses `keyId="…",algorithm="…",headers="…",signature="…"`; null when it is not that shape. */
export function parseSignatureHeader (value: string): SignatureParams | null {
  const params = new Map<string, string>()
  const re = /\s*([a-zA-Z]+)\s*=\s*(?:"([^"]*)"|(\d+))\s*(?:,|$)/gy
  let match: RegExpExecArray | null
  let consumed = 0
  while ((match = re.exec(value)) !== null) {
    params.set(match[1].toLowerCase(), match[2] ?? match[3])
    consumed = re.lastIndex
    if (consumed >= value.length) break
  }
  if (consumed < value.trim().length) return null
  const keyId = params.get('keyid')
  const signature = params.get('signature')
  if (!keyId || !signature) return null
  const created = params.has('created') ? Number(params.get('created')) : null
  const expires = params.has('expires') ? Number(params.get('expires')) : null
  return {
    keyId,
    algorithm: params.get('algorithm')?.toLowerCase() ?? null,
    // The draft's default when `headers` is absent is just the Date header.
    headers: (params.get('headers') ?? 'date').toLowerCase().split(/\s+/).filter(Boolean),
    signature,
    created: Number.isFinite(created) ? created : null,
    expires: Number.isFinite(expires) ? expires : null
  }
}

/** Builds the string that was signed; null when a listed header is missing from the request. */
export function signingString (request: SignableRequest, params: Pick<SignatureParams, 'headers' | 'created' | 'expires'>): string | null {
  const lines: string[] = []
  for (const name of params.headers) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${request.path}`)
    } else if (name === '(created)') {
      if (params.created === null) return null
      lines.push(`(created): ${params.created}`)
    } else if (name === '(expires)') {
      if (params.expires === null) return null
      lines.push(`(expires): ${params.expires}`)
    } else {
      const value = request.headers[name]
      if (value === undefined) return null
      lines.push(`${name}: ${value.trim()}`)
    }
  }
  return lines.join('\n')
}

/**
 * The digest a signature by this key under `algorithm` is verified with: SHA-256 for an RSA key,
 * none for Ed25519; undefined when the PEM is not a key or the algorithm does not fit the key.
 */
export function verificationDigest (publicKeyPem: string, algorithm: string | null): VerificationScheme['digest'] | undefined {
  return cavageScheme(publicKeyPem, algorithm)?.scheme.digest
}

/** The parsed key and how a signature by it is verified (PKCS #1 v1.5 for RSA); undefined when the PEM is not a key or the algorithm does not fit it. */
function cavageScheme (publicKeyPem: string, algorithm: string | null): { key: crypto.KeyObject, scheme: VerificationScheme } | undefined {
  const key = publicKeyObject(publicKeyPem)
  if (key === undefined) return undefined
  const type = key.asymmetricKeyType
  if (type === 'rsa') return algorithm === null || algorithm === 'rsa-sha256' || algorithm === 'hs2019' ? { key, scheme: { digest: 'sha256', pss: false } } : undefined
  if (type === 'ed25519') return algorithm === null || algorithm === 'hs2019' || algorithm === 'ed25519' ? { key, scheme: { digest: null, pss: false } } : undefined
  return undefined
}

/** Verifies a signature over `text` with a PEM public key (RSA with SHA-256, or Ed25519). */
export function verifySignature (text: string, signatureBase64: string, publicKeyPem: string, algorithm: string | null): boolean {
  const fit = cavageScheme(publicKeyPem, algorithm)
  return fit !== undefined && verifyWithScheme(fit.scheme, text, fit.key, Buffer.from(signatureBase64, 'base64'))
}

/** `verifySignature` with the public-key operation on libuv's thread pool, off the event loop. */
export function verifySignatureAsync (text: string, signatureBase64: string, publicKeyPem: string, algorithm: string | null): Promise<boolean> {
  const fit = cavageScheme(publicKeyPem, algorithm)
  if (fit === undefined) return Promise.resolve(false)
  return verifyWithSchemeOnPool(fit.scheme, text, fit.key, Buffer.from(signatureBase64, 'base64'))
}

/** What one outgoing request's signature covers and the key it is made with. */
interface SigningPlan { date: string, names: string[], data: Buffer, key: crypto.KeyObject, algorithm: string }

function signingPlan (request: SignableRequest, privateKeyPem: string): SigningPlan {
  const date = request.headers.date ?? new Date().toUTCString()
  const headers: Record<string, string | undefined> = { ...request.headers, date }
  const names = ['(request-target)', 'host', 'date']
  if (headers.digest !== undefined) names.push('digest')
  const text = signingString({ ...request, headers }, { headers: names, created: null, expires: null })
  if (text === null) throw new Error('signRequest: the host header is required')
  const key = privateKeyObject(privateKeyPem)
  return { date, names, data: Buffer.from(text), key, algorithm: key.asymmetricKeyType === 'ed25519' ? 'hs2019' : 'rsa-sha256' }
}

function signatureHeaders (plan: SigningPlan, keyId: string, signature: Buffer): { date: string, signature: string } {
  return {
    date: plan.date,
    signature: `keyId="${keyId}",algorithm="${plan.algorithm}",headers="${plan.names.join(' ')}",signature="${signature.toString('base64')}"`
  }
}

/** The headers to add to an outgoing request so peers can verify it. */
export function signRequest (request: SignableRequest, keyId: string, privateKeyPem: string): { date: string, signature: string } {
  const plan = signingPlan(request, privateKeyPem)
  return signatureHeaders(plan, keyId, crypto.sign(plan.algorithm === 'hs2019' ? null : 'sha256', plan.data, plan.key))
}

/**
 * `signRequest` with the private-key operation on libuv's thread pool: an RSA-2048 signature
 * costs about a millisecond, which a fan-out to a thousand inboxes would otherwise spend on the
 * event loop (docs/performance.md).
 */
export async function signRequestAsync (request: SignableRequest, keyId: string, privateKeyPem: string): Promise<{ date: string, signature: string }> {
  const plan = signingPlan(request, privateKeyPem)
  const signature = await new Promise<Buffer>((resolve, reject) => {
    crypto.sign(plan.algorithm === 'hs2019' ? null : 'sha256', plan.data, plan.key, (err, sig) => err ? reject(err) : resolve(sig))
  })
  return signatureHeaders(plan, keyId, signature)
}
