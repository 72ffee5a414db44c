import { Router } from 'express'
import type { Apex } from '../apex-setup'
import { ROUTES } from './route-paths'
import { requirePublic, respondResult, respondTarget, targetByRequestIri } from './apex-responders'

/** What the ActivityPub routes need besides apex. */
export interface ActivityPubRouteDeps {
  apex: Apex
}

/**
 * The ActivityPub surface served by apex: actors, outbox, followers, following, liked, objects
 * and activities (the inboxes are the hub's own: `inbox.routes.ts`). apex's plain-text
 * responders are replaced by JSON ones; the rest of each apex middleware chain runs as apex
 * wrote it.
 */
export function activityPubRoutes ({ apex }: ActivityPubRouteDeps): Router {
  const router = Router()
  const v = apex.net.validators
  const s = apex.net.security
  const c = apex.net.collection
  const target = respondTarget(apex)
  const result = respondResult(apex)

  router.get(ROUTES.actor, v.jsonld, v.targetActor, target)
  router.get(ROUTES.outbox, v.jsonld, v.targetActor, s.verifyAuthorization, c.outbox, result)
  router.get(ROUTES.followers, v.jsonld, v.targetActorWithMeta, s.verifyAuthorization, c.followers, result)
  router.get(ROUTES.following, v.jsonld, v.targetActor, s.verifyAuthorization, c.following, result)
  router.get(ROUTES.liked, v.jsonld, v.targetActor, s.verifyAuthorization, c.liked, result)
  router.get(ROUTES.object, v.jsonld, targetByRequestIri(apex, 'object'), s.verifyAuthorization, requirePublic(apex), target)
  router.get(ROUTES.activity, v.jsonld, targetByRequestIri(apex, 'activity'), s.verifyAuthorization, requirePublic(apex), target)

  return router
}
