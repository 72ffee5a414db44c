import { RemoteError, ValidationError } from '../errors/app-errors'
import type { OutboundClient } from '../federation/http/outbound-client'
import { isNonPublicAddress } from '../federation/http/address-guard'

const HANDLE = /^@?([^@\s/]+)@([^@\s/]+)$/

/** True when `target` looks like `user@host` rather than a URL. */
export function isHandle (target: string): boolean {
  return HANDLE.test(target)
}

/**
 * Finds the actor id behind `user@host` with WebFinger. Over https; plain http is used only for
 * loopback and private hosts, and only when the admin allowed those (tests and the demo).
 */
export async function lookupHandle (client: OutboundClient, handle: string, allowPrivate: boolean): Promise<string> {
  const match = HANDLE.exec(handle)
  if (!match) throw new ValidationError(`"${handle}" is not of the form user@host`, { target: 'must be user@host or an actor URL' })
  const [, user, host] = match
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  const plain = allowPrivate && (hostname === 'localhost' || isIpLiteralPrivate(hostname))
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
