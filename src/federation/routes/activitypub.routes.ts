import { RequestHandler, Router } from 'express'
import type { Apex } from '../apex-setup'
import { activityBodyParser } from '../inbox/activity-body-parser'
import { skipRepeatedDelivery } from '../inbox/repeated-delivery'
import { parseActivityJsonLd } from '../inbox/activity-json-ld'
import { inboxTarget } from '../inbox/inbox-target'
import { refetchForeignEmbeddedObjects } from '../inbox/foreign-embedded-objects'
import type { InboxJournal } from '../inbox/inbox-journal'
import { fetchActivityCollections, resolveActivityObject, validateInboxActivity } from '../inbox/reactions'
import { sharedInbox } from '../inbox/shared-inbox'
import { requireOwnActivityId, requireOwnCollections } from '../inbox/activity-claims'
import { requireStoredOwner } from '../inbox/stored-object-owner'
import type { RemoteActors } from '../remote-actors'
import type { Logger } from '../../log/logger'
import { valueFlowsAlias } from '../inbox/valueflows-alias'
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
  /**
   * Before the body is read (rate limit per client address), after it is parsed but before
   * authentication (domain blocks), and after authentication (rate limit per verified host).
   */
  guards: { beforeBody: RequestHandler[], afterBody: RequestHandler[], afterAuthentication: RequestHandler[] }
  remote: RemoteActors
  journal: InboxJournal
  hubUrl: string
  logger: Logger
}

/**
 * The ActivityPub surface served by apex: actors, inbox, outbox, followers, following, liked,
 * objects and activities. apex's own signature check is replaced by the hub's, and its plain-text
 * responders by JSON ones; the rest of each apex middleware chain runs as apex wrote it.
 */
export function activityPubRoutes ({ apex, store, authenticate, maxBodyBytes, guards, remote, journal, hubUrl, logger }: ActivityPubRouteDeps): Router {
  const router = Router()
  const v = apex.net.validators
  const s = apex.net.security
  const c = apex.net.collection
  const a = apex.net.activity
  const target = respondTarget(apex)
  const result = respondResult(apex)
  const skipRepeated = skipRepeatedDelivery(journal)

  router.get(ROUTES.actor, v.jsonld, v.targetActor, target)
  router.get(ROUTES.outbox, v.jsonld, v.targetActor, s.verifyAuthorization, c.outbox, result)
  router.get(ROUTES.followers, v.jsonld, v.targetActorWithMeta, s.verifyAuthorization, c.followers, result)
  router.get(ROUTES.following, v.jsonld, v.targetActor, s.verifyAuthorization, c.following, result)
  router.get(ROUTES.liked, v.jsonld, v.targetActor, s.verifyAuthorization, c.liked, result)
  router.get(ROUTES.object, v.jsonld, targetByRequestIri(apex, 'object'), s.verifyAuthorization, requirePublic(apex), target)
  router.get(ROUTES.activity, v.jsonld, targetByRequestIri(apex, 'activity'), s.verifyAuthorization, requirePublic(apex), target)

  // Everything after authentication, for one recipient; the shared inbox runs it once per recipient.
  const inboxChain: RequestHandler[] = [
    valueFlowsAlias,
    parseActivityJsonLd(apex),
    requireOwnActivityId,
    inboxTarget(apex, store),
    v.actor,
    refetchForeignEmbeddedObjects(remote, hubUrl, logger),
    requireOwnCollections,
    requireStoredOwner(apex, store),
    fetchActivityCollections(apex),
    resolveActivityObject(apex),
    validateInboxActivity(apex),
    skipRepeated,
    a.save,
    a.inboxSideEffects,
    respondInbox
  ]
  const receive = [...guards.beforeBody, ...activityBodyParser(maxBodyBytes), ...guards.afterBody, authenticate, ...guards.afterAuthentication]
  router.post(ROUTES.inbox, ...receive, ...inboxChain)
  router.post(ROUTES.sharedInbox, ...receive, sharedInbox(store, inboxChain, logger))
  return router
}
