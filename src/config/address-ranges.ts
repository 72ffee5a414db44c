import ipaddr from 'ipaddr.js'

/**
 * Which non-public addresses the hub may connect to: none (`false`, production), all (`true`,
 * tests and the demo), or only those in a list of addresses and CIDR ranges (a sibling on the LAN).
 */
export type PrivateAddressPolicy = boolean | readonly string[]

/** Checks an entry of HUB_ALLOW_PRIVATE_ADDRESSES: an IP address or CIDR range; answers the problem or null. */
export function addressRangeProblem (range: string): string | null {
  try {
    if (range.includes('/')) ipaddr.parseCIDR(range)
    else if (!ipaddr.isValid(range)) return `"${range}" is not an IP address`
    return null
  } catch {
    return `"${range}" is not an IP address or CIDR range`
  }
}
