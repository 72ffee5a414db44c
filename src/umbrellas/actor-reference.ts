import { ValidationError } from '../errors/app-errors'
import type { OutboundClient } from '../federation/http/outbound-client'
import { isHandle, lookupHandle } from '../follows/webfinger-client'

/** The actor id behind `name@host` (WebFinger, as follows do) or an http(s) actor URL; 400 otherwise. */
export async function resolveActorReference (client: OutboundClient, reference: string, field: string): Promise<string> {
  if (isHandle(reference)) return await lookupHandle(client, reference)
  try {
    const url = new URL(reference)
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href
  } catch { /* not a URL: refused below */ }
  throw new ValidationError(`"${reference}" is neither name@host nor an http(s) actor URL`, { [field]: 'must be name@host or an actor URL' })
}

/** An activity without apex's private bookkeeping, its actor and object as ids, to embed in an answer. */
export function publicActivityCopy (activity: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _ignored, ...rest } = activity
  const id = (v: unknown): unknown => {
    const one = Array.isArray(v) ? v[0] : v
    return one && typeof one === 'object' && typeof (one as { id?: unknown }).id === 'string' ? (one as { id: string }).id : one
  }
  return { ...rest, actor: id(rest.actor), object: id(rest.object) }
}
