import crypto from 'crypto'
import { privateKeyObject, publicKeyObject } from './key-objects'

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

/** Verifies a signature over `text` with a PEM public key (RSA with SHA-256, or Ed25519). */
export function verifySignature (text: string, signatureBase64: string, publicKeyPem: string, algorithm: string | null): boolean {
  let key: crypto.KeyObject
  try {
    key = publicKeyObject(publicKeyPem)
  } catch {
    return false
  }
  const signature = Buffer.from(signatureBase64, 'base64')
  const type = key.asymmetricKeyType
  if (type === 'rsa') {
    if (algorithm !== null && algorithm !== 'rsa-sha256' && algorithm !== 'hs2019') return false
    return crypto.verify('sha256', Buffer.from(text), key, signature)
  }
  if (type === 'ed25519') {
    if (algorithm !== null && algorithm !== 'hs2019' && algorithm !== 'ed25519') return false
    return crypto.verify(null, Buffer.from(text), key, signature)
  }
  return false
}

/** The headers to add to an outgoing request so peers can verify it. */
export function signRequest (request: SignableRequest, keyId: string, privateKeyPem: string): { date: string, signature: string } {
  const date = request.headers.date ?? new Date().toUTCString()
  const headers: Record<string, string | undefined> = { ...request.headers, date }
  const names = ['(request-target)', 'host', 'date']
  if (headers.digest !== undefined) names.push('digest')
  const text = signingString({ ...request, headers }, { headers: names, created: null, expires: null })
  if (text === null) throw new Error('signRequest: the host header is required')
  const key = privateKeyObject(privateKeyPem)
  const signature = key.asymmetricKeyType === 'ed25519'
    ? crypto.sign(null, Buffer.from(text), key).toString('base64')
    : crypto.sign('sha256', Buffer.from(text), key).toString('base64')
  const algorithm = key.asymmetricKeyType === 'ed25519' ? 'hs2019' : 'rsa-sha256'
  return {
    date,
    signature: `keyId="${keyId}",algorithm="${algorithm}",headers="${names.join(' ')}",signature="${signature}"`
  }
}
