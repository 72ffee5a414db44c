import dns from 'dns'
import ipaddr from 'ipaddr.js'
import { ForbiddenAddressError } from '../../errors/app-errors'

/** Address ranges the hub never connects to unless private addresses are allowed. */
const BLOCKED_RANGES = new Set([
  'unspecified', 'broadcast', 'multicast', 'linkLocal', 'loopback', 'private', 'reserved',
  'uniqueLocal', 'carrierGradeNat', 'ipv4Mapped', 'rfc6145', 'rfc6052', '6to4', 'teredo'
])

/** True when an IP address is loopback, private, link-local, unique-local or otherwise not public. */
export function isNonPublicAddress (address: string): boolean {
  if (!ipaddr.isValid(address)) return true
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  }
  return BLOCKED_RANGES.has(parsed.range())
}

/** Refuses a URL that is not http(s) or whose host is a literal non-public IP. */
export function checkUrl (url: URL, allowPrivate: boolean): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ForbiddenAddressError(`Only http and https URLs can be fetched; got ${url.protocol}`)
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!allowPrivate && ipaddr.isValid(host) && isNonPublicAddress(host)) {
    throw new ForbiddenAddressError(`${url.host} is a loopback or private address; the hub does not connect there (set HUB_ALLOW_PRIVATE_ADDRESSES=1 for local testing)`)
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void

/**
 * A `dns.lookup` replacement for the HTTP agent: the check happens on the addresses actually
 * connected to, after resolution, so a public name pointing at a private address is refused too.
 */
export function guardedLookup (allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '')
      const list = addresses as dns.LookupAddress[]
      const bad = allowPrivate ? undefined : list.find(a => isNonPublicAddress(a.address))
      if (bad) {
        const error = new ForbiddenAddressError(`${hostname} resolves to ${bad.address}, a loopback or private address; the hub does not connect there`) as unknown as NodeJS.ErrnoException
        return callback(error, '')
      }
      if (options.all) return callback(null, list)
      callback(null, list[0].address, list[0].family)
    })
  }
}
