import crypto from 'node:crypto'

/**
 * The key that decides whether two records describe the same cloud: the website without its
 * scheme, a leading `www.`, a default port, a fragment or trailing slashes, lower-cased.
 * A `urn:` stays as it is (lower-cased). Answers null for something that is not a web address.
 */
export function canonicalWebsite (raw: string): string | null {
  const value = raw.trim()
  if (!value) return null
  if (/^urn:/i.test(value)) return value.toLowerCase()
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return null
  }
  // A user part means it was not a web address ("mailto:x@y.example" read as http://mailto:x@…).
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null
  if (!url.hostname.includes('.') && url.hostname !== 'localhost' && !/^\[/.test(url.hostname)) return null
  const host = url.hostname.toLowerCase().replace(/^www\./, '')
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : ''
  const pathname = url.pathname.replace(/\/+$/, '')
  return `${host}${port}${pathname}${url.search}`.toLowerCase()
}

/** The website as a link people can follow: a scheme-less address gets https. */
export function websiteHref (raw: string): string {
  const value = raw.trim()
  if (/^urn:/i.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value
  return `https://${value}`
}

/** The entry's directory id: a readable slug of the canonical key plus a short hash, stable and URL-safe. */
export function entryIdFor (canonical: string): string {
  const slug = canonical.replace(/^urn:/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '')
  const hash = crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 8)
  return slug ? `${slug}-${hash}` : `entry-${hash}`
}
