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

/**
 * Which non-public addresses the hub may connect to: none (`false`, production), all (`true`,
 * tests and the demo), or only those in a list of addresses and CIDR ranges (a sibling on the LAN).
 */
export type PrivateAddressPolicy = boolean | readonly string[]

/** True when the hub must not connect to `address` under `policy`. */
export function isRefusedAddress (address: string, policy: PrivateAddressPolicy): boolean {
  if (policy === true || !isNonPublicAddress(address)) return false
  if (policy === false || !ipaddr.isValid(address)) return true
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  return !policy.some(range => {
    const [net, bits] = ipaddr.parseCIDR(range.includes('/') ? range : `${range}/${ipaddr.parse(range).kind() === 'ipv4' ? 32 : 128}`)
    return net.kind() === parsed.kind() && parsed.match(net, bits)
  })
}

/** Refuses a URL that is not http(s) or whose host is a literal non-public IP the policy does not allow. */
export function checkUrl (url: URL, allowPrivate: PrivateAddressPolicy): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ForbiddenAddressError(`Only http and https URLs can be fetched; got ${url.protocol}`)
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (ipaddr.isValid(host) && isRefusedAddress(host, allowPrivate)) {
    throw new ForbiddenAddressError(`${url.host} is a loopback or private address; the hub does not connect there (set HUB_ALLOW_PRIVATE_ADDRESSES=1 for local testing)`)
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void

/**
 * A `dns.lookup` replacement for the HTTP agent: the check happens on the addresses actually
 * connected to, after resolution, so a public name pointing at a private address is refused too.
 */
export function guardedLookup (allowPrivate: PrivateAddressPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '')
      const list = addresses as dns.LookupAddress[]
      const bad = list.find(a => isRefusedAddress(a.address, allowPrivate))
      if (bad) {
        const error = new ForbiddenAddressError(`${hostname} resolves to ${bad.address}, a loopback or private address; the hub does not connect there`) as unknown as NodeJS.ErrnoException
        return callback(error, '')
      }
      if (options.all) return callback(null, list)
      callback(null, list[0].address, list[0].family)
    })
  }
}
