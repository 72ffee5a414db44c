import crypto from 'crypto'
import { parseDictionary } from 'structured-headers'

/** The algorithms of RFC 9530 the hub checks; others listed next to them are ignored. */
const ALGORITHMS: Record<string, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512' }

/** The `Content-Digest` header value for a body (RFC 9530, SHA-256). */
export function contentDigestHeader (body: Buffer | string): string {
  return `sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`
}

/**
 * Checks an RFC 9530 `Content-Digest` header against the exact bytes received: it must list
 * sha-256 or sha-512, and every one of those it lists must match (compared in constant time).
 * Answers null when it holds, or the reason it does not.
 */
export function contentDigestProblem (header: string, body: Buffer): string | null {
  let dict
  try {
    dict = parseDictionary(header)
  } catch {
    return 'The Content-Digest header is not a structured dictionary such as sha-256=:<base64>:'
  }
  let checked = 0
  for (const [name, member] of dict) {
    const algorithm = ALGORITHMS[name.toLowerCase()]
    if (!algorithm) continue
    const value = member[0]
    if (!(value instanceof ArrayBuffer)) return `The Content-Digest ${name} value is not a byte sequence (:<base64>:)`
    const given = Buffer.from(value)
    const expected = crypto.createHash(algorithm).update(body).digest()
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      return `The Content-Digest ${name} does not match the body: the body was changed after signing`
    }
    checked++
  }
  return checked === 0 ? 'The Content-Digest header lists neither sha-256 nor sha-512' : null
}
