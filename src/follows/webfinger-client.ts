import { RemoteError, ValidationError } from '../errors/app-errors'
import type { OutboundClient } from '../federation/http/outbound-client'
import { isNonPublicAddress, isRefusedAddress } from '../federation/http/address-guard'

const HANDLE = /^@?([^@\s/]+)@([^@\s/]+)$/

/** True when `target` looks like `user@host` rather than a URL. */
export function isHandle (target: string): boolean {
  return HANDLE.test(target)
}

/**
 * Finds the actor id behind `user@host` with WebFinger. Over https; plain http is used only for
 * loopback and private hosts the client's address policy allows (tests, the demo, a LAN sibling).
 */
export async function lookupHandle (client: OutboundClient, handle: string): Promise<string> {
  const match = HANDLE.exec(handle)
  if (!match) throw new ValidationError(`"${handle}" is not of the form user@host`, { target: 'must be user@host or an actor URL' })
  const [, user, host] = match
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  const policy = client.privateAddresses
  // `localhost` is judged after resolution by the client's guard, like any other name.
  const plain = (hostname === 'localhost' && policy !== false) || (isIpLiteralPrivate(hostname) && !isRefusedAddress(hostname, policy))
  const url = `${plain ? 'http' : 'https'}://${host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`
  const jrd = await client.getJson(url, undefined, 'application/jrd+json, application/json')
  const links = Array.isArray(jrd.links) ? jrd.links as Array<Record<string, unknown>> : []
  const self = links.find(l => l.rel === 'self' && typeof l.href === 'string' &&
    (l.type === 'application/activity+json' || String(l.type).startsWith('application/ld+json')))
  if (!self) throw new RemoteError(`${host} has no ActivityPub actor for ${user}@${host}`)
  return self.href as string
}

function isIpLiteralPrivate (host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') ? isNonPublicAddress(host) : false
}
