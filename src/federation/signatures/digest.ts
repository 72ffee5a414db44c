import crypto from 'crypto'

/** The `Digest` header value for a body: `SHA-256=<base64>` (RFC 3230, as Mastodon sends it). */
export function digestHeader (body: Buffer | string): string {
  return `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}`
}

/**
 * Checks a `Digest` header against the exact bytes received. Several digests may be listed;
 * the SHA-256 one must be present and must match. Compared in constant time.
 */
export function digestMatches (header: string, body: Buffer): boolean {
  const expected = crypto.createHash('sha256').update(body).digest()
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const algorithm = part.slice(0, eq).trim().toLowerCase()
    if (algorithm !== 'sha-256') continue
    const given = Buffer.from(part.slice(eq + 1).trim(), 'base64')
    return given.length === expected.length && crypto.timingSafeEqual(given, expected)
  }
  return false
}
