import { domainToASCII } from 'url'
import ipaddr from 'ipaddr.js'
import { canonicalAuthority } from './activity-streams/canonical-authority'

/** A domain-block entry as typed by an admin, checked and normalised, or why it cannot be used. */
export type NormalisedDomain = { domain: string } | { problem: string }

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/

/**
 * Normalises what an admin typed: `example.com`, `Example.COM.`, `bücher.example`,
 * `example.com:8443`, `[2001:db8::1]` or a URL are accepted; paths, user names and wildcards are not.
 */
export function normaliseBlockedDomain (input: string): NormalisedDomain {
  let text = input.trim().toLowerCase()
  if (text === '') return { problem: 'is empty' }
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) {
    try {
      const url = new URL(text)
      if (url.username || url.password) return { problem: 'must not contain a user name' }
      text = url.host
    } catch {
      return { problem: 'is not a valid URL' }
    }
  }
  if (/[/?#@*\s]/.test(text)) return { problem: 'must be a domain such as example.com (no path, no wildcard)' }
  const { hostname, port } = splitHost(text)
  if (port !== null && (!/^\d{1,5}$/.test(port) || Number(port) > 65535 || Number(port) === 0)) {
    return { problem: `has an invalid port "${port}"` }
  }
  let host: string
  if (hostname.startsWith('[')) {
    const inner = hostname.slice(1, -1)
    if (!hostname.endsWith(']') || !ipaddr.IPv6.isValid(inner)) return { problem: 'is not a valid IPv6 address' }
    host = `[${ipaddr.IPv6.parse(inner).toString()}]`
  } else {
    const ascii = domainToASCII(hostname.replace(/\.$/, ''))
    if (ascii === '' || ascii.length > 253 || !ascii.split('.').every(label => LABEL.test(label))) {
      return { problem: 'is not a valid domain name' }
    }
    host = ascii
  }
  return { domain: port === null ? host : `${host}:${Number(port)}` }
}

/**
 * The block entries that would cover a URL host (`URL.host`: name and optional port): the host
 * with its port, the host name, then every parent domain (not for IP addresses).
 */
export function blockCandidates (urlHost: string): string[] {
  const { hostname, port } = splitHost(urlHost.toLowerCase())
  const name = hostname.replace(/\.$/, '')
  const out: string[] = []
  if (port !== null) out.push(`${name}:${port}`)
  out.push(name)
  if (!name.startsWith('[') && !ipaddr.IPv4.isValidFourPartDecimal(name)) {
    const labels = name.split('.')
    for (let i = 1; i < labels.length; i++) out.push(labels.slice(i).join('.'))
  }
  return out
}

/** True when the block entry `domain` covers the URL host `urlHost`. */
export function blockCovers (domain: string, urlHost: string): boolean {
  return blockCandidates(urlHost).includes(domain)
}

/** The host (`URL.host`) of an IRI, or null when it is not a URL. */
export function hostOf (iri: string): string | null {
  const authority = canonicalAuthority(iri)
  if (authority !== null) return iri.slice(authority.start, authority.end)
  try {
    return new URL(iri).host.toLowerCase() || null
  } catch {
    return null
  }
}

function splitHost (host: string): { hostname: string, port: string | null } {
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    if (end < 0) return { hostname: host, port: null }
    const rest = host.slice(end + 1)
    return { hostname: host.slice(0, end + 1), port: rest.startsWith(':') ? rest.slice(1) : null }
  }
  const colon = host.lastIndexOf(':')
  return colon < 0 ? { hostname: host, port: null } : { hostname: host.slice(0, colon), port: host.slice(colon + 1) }
}
