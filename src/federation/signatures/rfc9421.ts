import crypto from 'crypto'
import { InnerList, Item, parseDictionary, serializeInnerList, serializeItem } from 'structured-headers'
import { SignatureError } from '../../errors/app-errors'
import { publicKeyObject } from './key-objects'
import { VerificationScheme, verifyWithScheme, verifyWithSchemeOnPool } from './public-key-check'

/**
 * RFC 9421 HTTP Message Signatures, as Mastodon (4.4+) and Fedify send them: `Signature-Input`
 * names the covered components and parameters, `Signature` holds the bytes. Verified here with
 * Node's crypto; `structured-headers` parses and re-serialises the structured fields.
 */

/** A request as far as verification needs it; header names in lower case. */
export interface SignedMessage {
  method: string
  /** The absolute URI the request was sent to, e.g. `https://hub.example/u/coop/inbox`. */
  targetUri: string
  headers: Record<string, string | undefined>
}

/** One parsed signature, with the signature base rebuilt from the request. */
export interface Rfc9421Signature {
  label: string
  keyId: string
  /** The `alg` parameter, or null when the key decides. */
  alg: string | null
  created: number | null
  expires: number | null
  /** Covered component names, e.g. `@method`, `content-digest`. */
  components: string[]
  base: string
  signature: Buffer
}

/** The algorithms the hub verifies (RFC 9421 section 3.3). */
export const RFC9421_ALGORITHMS = ['rsa-v1_5-sha256', 'rsa-pss-sha512', 'ed25519'] as const

/** True when a request carries an RFC 9421 signature rather than a draft-cavage one. */
export function hasRfc9421Signature (headers: Record<string, string | undefined>): boolean {
  return headers['signature-input'] !== undefined
}

/** Parses `Signature-Input` and `Signature` and rebuilds the signature base; throws a SignatureError with the reason. */
export function parseRfc9421 (message: SignedMessage, signatureInput: string, signatureHeader: string): Rfc9421Signature {
  let inputs, signatures
  try {
    inputs = parseDictionary(signatureInput)
    signatures = parseDictionary(signatureHeader)
  } catch {
    throw new SignatureError('The Signature-Input or Signature header is not a structured dictionary (RFC 9421)')
  }
  const label = [...inputs.keys()].find(l => signatures.has(l))
  if (label === undefined) throw new SignatureError('No label of Signature-Input has a matching entry in the Signature header')
  const input = inputs.get(label) as Item | InnerList
  const sigItem = signatures.get(label) as Item | InnerList
  if (!Array.isArray(input[0])) throw new SignatureError(`Signature-Input ${label} is not a list of covered components`)
  if (!(sigItem[0] instanceof ArrayBuffer)) throw new SignatureError(`Signature ${label} is not a byte sequence (:<base64>:)`)
  const innerList = input as InnerList
  const params = innerList[1]
  const keyId = params.get('keyid')
  if (typeof keyId !== 'string' || keyId === '') throw new SignatureError(`Signature-Input ${label} has no keyid`)
  const alg = params.get('alg')
  if (alg !== undefined && (typeof alg !== 'string' || !(RFC9421_ALGORITHMS as readonly string[]).includes(alg))) {
    throw new SignatureError(`The signature algorithm ${String(alg)} is not supported; use one of ${RFC9421_ALGORITHMS.join(', ')}`)
  }
  const created = integerParam(params.get('created'), 'created')
  const expires = integerParam(params.get('expires'), 'expires')

  const lines: string[] = []
  const components: string[] = []
  for (const item of innerList[0]) {
    const [name, itemParams] = item
    if (typeof name !== 'string') throw new SignatureError('A covered component of the signature is not a string')
    if (itemParams.size > 0) throw new SignatureError(`The component parameters of "${name}" are not supported`)
    if (components.includes(name)) throw new SignatureError(`The component "${name}" is covered twice`)
    components.push(name)
    lines.push(`${serializeItem(name, new Map())}: ${componentValue(name, message)}`)
  }
  lines.push(`"@signature-params": ${serializeInnerList(innerList)}`)
  return {
    label,
    keyId,
    alg: alg === undefined ? null : alg as string,
    created,
    expires,
    components,
    base: lines.join('\n'),
    signature: Buffer.from(sigItem[0])
  }
}

/** Checks a parsed RFC 9421 signature with a PEM public key; false when it does not verify. */
export type Rfc9421Check = (sig: Rfc9421Signature, publicKeyPem: string) => Promise<boolean>

/**
 * How a signature by this key is verified: its `alg` (or, without one, the key's type: Ed25519,
 * else RSA PKCS #1 v1.5 with SHA-256) must fit the key's type. Undefined when the PEM is not a key
 * or the algorithm does not fit it.
 */
export function rfc9421Scheme (sig: Pick<Rfc9421Signature, 'alg'>, publicKeyPem: string): { key: crypto.KeyObject, scheme: VerificationScheme } | undefined {
  const key = publicKeyObject(publicKeyPem)
  if (key === undefined) return undefined
  const type = key.asymmetricKeyType
  const alg = sig.alg ?? (type === 'ed25519' ? 'ed25519' : 'rsa-v1_5-sha256')
  if (alg === 'ed25519' && type === 'ed25519') return { key, scheme: { digest: null, pss: false } }
  if (alg === 'rsa-v1_5-sha256' && type === 'rsa') return { key, scheme: { digest: 'sha256', pss: false } }
  if (alg === 'rsa-pss-sha512' && (type === 'rsa' || type === 'rsa-pss')) return { key, scheme: { digest: 'sha512', pss: true } }
  return undefined
}

/** Verifies a parsed signature with a public key on the event loop; the algorithm must fit the key's type. */
export function verifyRfc9421 (sig: Rfc9421Signature, publicKeyPem: string): boolean {
  const fit = rfc9421Scheme(sig, publicKeyPem)
  return fit !== undefined && verifyWithScheme(fit.scheme, sig.base, fit.key, sig.signature)
}

/** `verifyRfc9421` with the public-key operation on libuv's thread pool, off the event loop. */
export const verifyRfc9421OnPool: Rfc9421Check = (sig, publicKeyPem) => {
  const fit = rfc9421Scheme(sig, publicKeyPem)
  if (fit === undefined) return Promise.resolve(false)
  return verifyWithSchemeOnPool(fit.scheme, sig.base, fit.key, sig.signature)
}

function componentValue (name: string, message: SignedMessage): string {
  const url = new URL(message.targetUri)
  switch (name) {
    case '@method': return message.method.toUpperCase()
    case '@target-uri': return message.targetUri
    case '@authority': return url.host.toLowerCase()
    case '@scheme': return url.protocol.replace(':', '').toLowerCase()
    case '@request-target': return url.pathname + url.search
    case '@path': return url.pathname
    case '@query': return url.search === '' ? '?' : url.search
  }
  if (name.startsWith('@')) throw new SignatureError(`The derived component "${name}" is not supported`)
  if (name !== name.toLowerCase()) throw new SignatureError(`The component "${name}" must be a lower-case header name`)
  const value = message.headers[name]
  if (value === undefined) throw new SignatureError(`The signature covers the header ${name}, which the request does not have`)
  return value.trim()
}

function integerParam (value: unknown, name: string): number | null {
  if (value === undefined) return null
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new SignatureError(`The signature parameter ${name} must be an integer (seconds since 1970)`)
  return value
}
