import { RequestHandler, Router } from 'express'
import type { Apex } from '../apex-setup'
import { activityBodyParser } from '../inbox/activity-body-parser'
import { skipRepeatedDelivery } from '../inbox/repeated-delivery'
import type { HubStore } from '../../store/store.port'
import { ROUTES } from './route-paths'
import { requirePublic, respondInbox, respondResult, respondTarget, targetByRequestIri } from './apex-responders'

/** What the ActivityPub routes need besides apex. */
export interface ActivityPubRouteDeps {
  apex: Apex
  store: HubStore
  /** Authenticates inbox POSTs (signature, Digest, Date, signer). */
  authenticate: RequestHandler
  maxBodyBytes: number
}

/**
 * The ActivityPub surface served by apex: actors, inbox, outbox, followers, following, liked,
 * objects and activities. apex's own signature check is replaced by the hub's, and its plain-text
 * responders by JSON ones; the rest of each apex middleware chain runs as apex wrote it.
 */
export function activityPubRoutes ({ apex, store, authenticate, maxBodyBytes }: ActivityPubRouteDeps): Router {
  const router = Router()
  const v = apex.net.validators
  const s = apex.net.security
  const c = apex.net.collection
  const a = apex.net.activity
  const target = respondTarget(apex)
  const result = respondResult(apex)
  const skipRepeated = skipRepeatedDelivery(store)

  router.get(ROUTES.actor, v.jsonld, v.targetActor, target)
  router.get(ROUTES.outbox, v.jsonld, v.targetActor, s.verifyAuthorization, c.outbox, result)
  router.get(ROUTES.followers, v.jsonld, v.targetActorWithMeta, s.verifyAuthorization, c.followers, result)
  router.get(ROUTES.following, v.jsonld, v.targetActor, s.verifyAuthorization, c.following, result)
  router.get(ROUTES.liked, v.jsonld, v.targetActor, s.verifyAuthorization, c.liked, result)
  router.get(ROUTES.object, v.jsonld, targetByRequestIri(apex, 'object'), s.verifyAuthorization, requirePublic(apex), target)
  router.get(ROUTES.activity, v.jsonld, targetByRequestIri(apex, 'activity'), s.verifyAuthorization, requirePublic(apex), target)

  router.post(
    ROUTES.inbox,
    ...activityBodyParser(maxBodyBytes),
    authenticate,
    v.jsonld,
    v.targetActorWithMeta,
    v.actor,
    v.activityObject,
    v.inboxActivity,
    skipRepeated,
    a.save,
    a.inboxSideEffects,
    respondInbox
  )
  return router
}
