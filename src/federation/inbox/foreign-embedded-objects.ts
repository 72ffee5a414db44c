import { DomainBlockedError, ForbiddenAddressError, RemoteError, ValidationError } from '../../errors/app-errors'
import type { Logger } from '../../log/logger'
import { idOf, originOf } from '../../domain/activity-streams/nodes'
import type { RemoteActors } from '../remote-actors'
import type { InboxStep } from './inbox-steps'

/**
 * FEP-fe34 origin checks on an activity's embedded `object`: a copy whose id is on the actor's
 * own server is taken as sent; one whose id is on this hub is replaced by its IRI (the hub's own
 * stored version counts, never the sender's copy); one from a third server is fetched from its
 * origin and the fetched document replaces the copy. When that fetch fails the activity is
 * refused (400): an object nobody can vouch for is not stored.
 */
export function refetchForeignEmbeddedObjects (remote: RemoteActors, hubUrl: string, logger: Logger): InboxStep {
  const hubOrigin = new URL(hubUrl).origin

  /** The embedded object's id when it must be replaced (by its IRI, or by its origin's copy); null to keep it as sent. */
  const foreignId = (value: unknown, actorOrigin: string | null): { id: string, ours: boolean } | null => {
    if (!value || typeof value !== 'object') return null
    const id = (value as { id?: unknown }).id
    if (typeof id !== 'string') return null
    const origin = originOf(id)
    if (origin === null) throw new ValidationError(`The embedded object's id "${id}" is not an http(s) URL`)
    if (origin === actorOrigin) return null
    return { id, ours: origin === hubOrigin }
  }

  const fetchFrom = async (start: number, objects: unknown[], actorId: string, actorOrigin: string | null): Promise<void> => {
    for (let i = start; i < objects.length; i++) {
      const foreign = foreignId(objects[i], actorOrigin)
      if (foreign === null) continue
      if (foreign.ours) {
        objects[i] = foreign.id
        continue
      }
      try {
        objects[i] = await remote.fetchNode(foreign.id)
        logger.debug({ actor: actorId, object: foreign.id }, 'inbox: embedded object from another server replaced by its origin\'s copy')
      } catch (err) {
        if (!(err instanceof RemoteError || err instanceof ForbiddenAddressError || err instanceof DomainBlockedError)) throw err
        throw new ValidationError(`The embedded object ${foreign.id} is not from ${actorOrigin ?? 'the actor\'s server'} and its own server did not confirm it (${err.message}); it was not accepted`)
      }
    }
  }

  return (req, res) => {
    const body = req.body as Record<string, unknown>
    const actorId = idOf(body.actor)
    const objects = body.object
    if (!res.locals.apex.target || !actorId || !Array.isArray(objects)) return
    const actorOrigin = originOf(actorId)
    // Nearly always the actor's own objects: nothing to wait for.
    for (let i = 0; i < objects.length; i++) {
      const foreign = foreignId(objects[i], actorOrigin)
      if (foreign === null) continue
      if (!foreign.ours) return fetchFrom(i, objects, actorId, actorOrigin)
      objects[i] = foreign.id
    }
  }
}
