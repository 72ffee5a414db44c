import dns from 'dns'
import ipaddr from 'ipaddr.js'
import { ForbiddenAddressError } from '../../errors/app-errors'
import type { PrivateAddressPolicy } from '../../config/address-ranges'

export type { PrivateAddressPolicy } from '../../config/address-ranges'

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

/** Why a target is refused, the same for a literal address and a name (which address it was is not said). */
const REFUSAL_REASON = 'the hub does not connect to loopback or private addresses; set HUB_ALLOW_PRIVATE_ADDRESSES=1 for a test network (or list the addresses to allow, e.g. a LAN sibling\'s)'

/** Refuses a URL that is not http(s) or whose host is a literal non-public IP the policy does not allow. */
export function checkUrl (url: URL, allowPrivate: PrivateAddressPolicy): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ForbiddenAddressError(`Only http and https URLs can be fetched; got ${url.protocol}`)
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (ipaddr.isValid(host) && isRefusedAddress(host, allowPrivate)) {
    throw new ForbiddenAddressError(`${url.host} is refused: ${REFUSAL_REASON}`)
  }
}

/**
 * `checkUrl`, and for a name the addresses it resolves to now: a target that would be refused at
 * every fetch (`localhost`) is refused when it is configured. A name that does not resolve passes
 * (it may later); its fetches say why they fail.
 */
export async function checkResolvedUrl (url: URL, allowPrivate: PrivateAddressPolicy): Promise<void> {
  checkUrl(url, allowPrivate)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (allowPrivate === true || ipaddr.isValid(host)) return
  const addresses = await dns.promises.lookup(host, { all: true }).catch(() => [])
  if (addresses.some(a => isRefusedAddress(a.address, allowPrivate))) {
    throw new ForbiddenAddressError(`${host} is refused: ${REFUSAL_REASON}`)
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
      if (list.some(a => isRefusedAddress(a.address, allowPrivate))) {
        // The message never names the address: it would tell anyone what a name resolves to here.
        const error = new ForbiddenAddressError(`${hostname} is refused: ${REFUSAL_REASON}`) as unknown as NodeJS.ErrnoException
        return callback(error, '')
      }
      if (options.all) return callback(null, list)
      callback(null, list[0].address, list[0].family)
    })
  }
}
