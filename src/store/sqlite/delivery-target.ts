/**
 * The address an actor is delivered to, as apex's `address()` picks it: its server's shared
 * inbox when it names one, else its own inbox. Kept in `objects.delivery_target` when an actor
 * is cached, so resolving an audience reads one indexed column instead of parsing documents.
 */
import { firstId } from './apex-node-codec'

/** The delivery target of an actor document (apex's compacted arrays or plain values), or null. */
export function deliveryTargetOf (doc: Record<string, unknown>): string | null {
  const inbox = firstId(doc.inbox)
  if (inbox === null) return null
  const endpoints = Array.isArray(doc.endpoints) ? doc.endpoints[0] : doc.endpoints
  const shared = endpoints !== null && typeof endpoints === 'object'
    ? firstId((endpoints as Record<string, unknown>).sharedInbox)
    : null
  return shared ?? inbox
}
