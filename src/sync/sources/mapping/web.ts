/** URL clean-up shared by the source adapters. */
import { canonicalWebsite } from '../../../domain/directory/canonical-url'

/** An absolute http(s) URL, or undefined; a scheme-less `www.x.org` gets https. */
export function httpUrl (value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  let raw = value.trim()
  if (!raw || /\s/.test(raw)) return undefined
  if (!/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    if (!/^[^/]+\.[a-z]{2,}([/:?#]|$)/i.test(raw)) return undefined
    raw = `https://${raw}`
  }
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    if (!url.hostname.includes('.')) return undefined
    return url.href
  } catch {
    return undefined
  }
}

/** A website the directory can key on, or undefined. */
export function website (value: unknown): string | undefined {
  const url = httpUrl(value)
  return url && canonicalWebsite(url) ? url : undefined
}

/**
 * A logo URL worth republishing: http(s) only, so no inline `data:` images, and no search-engine
 * result pages that people pasted instead of an image address.
 */
export function logoUrl (value: unknown): string | undefined {
  const url = httpUrl(value)
  if (!url) return undefined
  const { hostname, pathname } = new URL(url)
  if (/(^|\.)google\.[a-z.]+$/.test(hostname) && /^\/(search|imgres|url)/.test(pathname)) return undefined
  return url
}
