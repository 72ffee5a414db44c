import { NextFunction, Request, RequestHandler, Response } from 'express'
import type { HubStore } from '../../store/store.port'
import { Apex } from '../apex-setup'
import { first } from '../../domain/activity-streams/nodes'

/**
 * Replaces apex's `validators.targetActorWithMeta` on the inbox, with the same outcome: the
 * recipient co-op (with its keys) as `target`, 404 or 410 otherwise, and its block list. apex
 * builds the list by turning the blocked collection into a JSON-LD page (a jsonld.js compaction
 * on every POST); this reads the same items from the store, and nothing at all when the
 * collection is empty, which it almost always is.
 */
export function inboxTarget (apex: Apex, store: HubStore): RequestHandler {
  const blockedIri = apex.utils.nameToBlockedIRI as (username: string) => string
  const activityObjectId = (activity: unknown): string | null => apex.objectIdFromActivity(activity as never)
  return (req: Request, res: Response, next: NextFunction): void => {
    const locals = res.locals.apex
    const username = req.params.actor
    ;(async () => {
      const actor = await store.getObject(apex.utils.usernameToIRI(username), true)
      if (!actor) {
        locals.status = 404
        locals.statusMessage = `'${username}' not found on this instance`
        return
      }
      if (actor.type === 'Tombstone') {
        locals.status = 410
        return
      }
      // apex names the collection after the stored preferredUsername, as here.
      const collection = blockedIri(first<string>(actor.preferredUsername) ?? username)
      const blockList = await store.getStreamCount(collection) === 0
        ? []
        : (await store.getStream(collection, null, null)).map(activityObjectId)
      actor._local = { blockList }
      locals.target = actor
    })().then(() => next(), next)
  }
}
