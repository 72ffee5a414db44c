import { NextFunction, Request, RequestHandler, Response } from 'express'
import { DomainBlockedError, ForbiddenAddressError, RemoteError, ValidationError } from '../../errors/app-errors'
import type { Logger } from '../../log/logger'
import { idOf, originOf } from '../../domain/activity-streams/nodes'
import type { RemoteActors } from '../remote-actors'

/**
 * FEP-fe34 origin checks on an activity's embedded `object`: a copy whose id is on the actor's
 * own server is taken as sent; one whose id is on this hub is replaced by its IRI (the hub's own
 * stored version counts, never the sender's copy); one from a third server is fetched from its
 * origin and the fetched document replaces the copy. When that fetch fails the activity is
 * refused (400): an object nobody can vouch for is not stored.
 */
export function refetchForeignEmbeddedObjects (remote: RemoteActors, hubUrl: string, logger: Logger): RequestHandler {
  const hubOrigin = new URL(hubUrl).origin
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = req.body as Record<string, unknown>
    const actorId = idOf(body.actor)
    const objects = body.object
    if (!res.locals.apex.target || !actorId || !Array.isArray(objects)) return next()
    const actorOrigin = originOf(actorId)
    ;(async () => {
      for (let i = 0; i < objects.length; i++) {
        const value = objects[i] as unknown
        if (!value || typeof value !== 'object') continue
        const id = (value as { id?: unknown }).id
        if (typeof id !== 'string') continue
        const origin = originOf(id)
        if (origin === null) throw new ValidationError(`The embedded object's id "${id}" is not an http(s) URL`)
        if (origin === actorOrigin) continue
        if (origin === hubOrigin) {
          objects[i] = id
          continue
        }
        try {
          objects[i] = await remote.fetchNode(id)
          logger.debug({ actor: actorId, object: id }, 'inbox: embedded object from another server replaced by its origin\'s copy')
        } catch (err) {
          if (!(err instanceof RemoteError || err instanceof ForbiddenAddressError || err instanceof DomainBlockedError)) throw err
          throw new ValidationError(`The embedded object ${id} is not from ${actorOrigin ?? 'the actor\'s server'} and its own server did not confirm it (${err.message}); it was not accepted`)
        }
      }
    })().then(() => next(), next)
  }
}
