import { ForbiddenError, ValidationError } from '../../errors/app-errors'
import { idOf, originOf } from '../../domain/activity-streams/nodes'
import type { InboxStep } from './inbox-steps'

/**
 * An activity's id must be on its actor's origin (scheme, host and port). The actor is the
 * verified signer (or another actor of the signer's origin), so no server can send an activity
 * under an id another server will use (e.g. Mastodon's predictable `…#follows/42/undo`) and get
 * the real one dropped as a repeat later. A transient activity without an id is not refused here.
 * Runs on the JSON-LD-processed body, so an `@id` spelling cannot slip past.
 */
export const requireOwnActivityId: InboxStep = req => {
  const body = req.body as Record<string, unknown>
  const id = body.id
  const actorId = idOf(body.actor)
  if (typeof id !== 'string' || actorId === undefined) return
  const actorOrigin = originOf(actorId)
  if (actorOrigin === null || originOf(id) !== actorOrigin) {
    throw new ForbiddenError(`The activity id ${id} is not on its actor's server (${actorOrigin ?? actorId}): a server may only send activities with ids of its own`)
  }
}

const COLLECTION_KEYS = ['shares', 'likes'] as const

/**
 * The `shares` and `likes` collections of an activity (and of an embedded object) belong to the
 * server that serves it: a collection IRI on another origin — this hub's own included, which
 * apex cannot read as a remote collection (it answered 500) — is refused with 400, and so is
 * more than one of either.
 */
export const requireOwnCollections: InboxStep = req => {
  const body = req.body as Record<string, unknown>
  const nodes: unknown[] = [body, ...(Array.isArray(body.object) ? body.object : [body.object])]
  for (const node of nodes) {
    if (!node || typeof node !== 'object') continue
    const id = (node as { id?: unknown }).id
    if (typeof id !== 'string') continue
    const origin = originOf(id)
    for (const key of COLLECTION_KEYS) {
      const value = (node as Record<string, unknown>)[key]
      const items = Array.isArray(value) ? value : value === undefined ? [] : [value]
      // One collection each (ActivityPub): apex would fetch and keep every one of several, then fail on the next.
      if (items.length > 1) throw new ValidationError(`${id} names ${items.length} ${key} collections: an activity or object has at most one`)
      for (const item of items) {
        const collection = idOf(item)
        if (collection === undefined) continue
        if (origin === null || originOf(collection) !== origin) {
          throw new ValidationError(`The ${key} collection ${collection} of ${id} is not on that object's own server: only the server of an activity or object may name its ${key} collection`)
        }
      }
    }
  }
}
