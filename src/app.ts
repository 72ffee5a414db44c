import { EventEmitter } from 'events'
import express, { Express } from 'express'
import { adminRoutes } from './api/admin.routes'
import { coopRoutes } from './api/coops.routes'
import { errorResponder, notFoundResponder } from './api/error-response'
import { jsonApiBody } from './api/json-body'
import { serviceRoutes } from './api/services.routes'
import type { HubContext } from './hub-context'
import type { InboxEvent } from './federation/inbox/inbox-registry'
import type { InboxReceiptState } from './federation/inbox/shared-inbox'
import { inboxAuthentication } from './federation/inbox/inbox-authentication'
import { refuseDeepJson } from './federation/inbox/activity-body-parser'
import { inboxRoutes } from './federation/routes/inbox.routes'
import { answerInboxesFirst } from './federation/routes/inbox-first'
import { activityPubRoutes } from './federation/routes/activitypub.routes'
import { hubObjectRoutes } from './federation/routes/hub-object.routes'
import { ROUTES } from './federation/routes/route-paths'
import { wellKnownRoutes } from './federation/routes/well-known.routes'
import { hostFromUrl } from './config/hub-name'
import { directoryRoutes } from './api/directory.routes'
import { feedRoutes } from './directory/feeds/feed.routes'
import { webRoutes } from './directory/web/web.routes'
import { openApiRoutes } from './api/openapi'
import { poolRoutes } from './api/pools.routes'
import { agreementRoutes } from './api/agreements.routes'
import { domainBlockRoutes } from './api/domain-blocks.routes'
import { jobRoutes } from './api/jobs.routes'
import { sourceRoutes } from './api/sources.routes'
import { siblingRoutes } from './api/siblings.routes'
import { inboxAddressRateLimit, refuseBlockedDomains, verifiedHostRateLimit } from './federation/abuse/inbox-guards'
import { umbrellaCollectionRoutes, umbrellaRoutes } from './api/umbrellas.routes'
import { umbrellaWorkObjectRoutes, umbrellaWorkRoutes } from './api/umbrella-work.routes'

/** Builds the Express app: discovery, ActivityPub, the JSON API, and JSON errors everywhere. */
export function createApp (hub: HubContext): Express {
  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy the public URL comes from HUB_URL, never from forwarded headers.
  app.set('trust proxy', false)
  app.use(hub.apex)
  // apex's handlers read it from here; its middleware sets it per request, the inbox path never runs that.
  app.locals.apex = hub.apex
  // apex emits this on the app after an inbox POST was answered; Express's types only know 'mount'.
  // The journal entry written before the activity was stored is closed once its handlers ran
  // (an activity no feature handles was settled in that write and has none).
  ;(app as unknown as EventEmitter).on('apex-inbox', (event: InboxEvent, receipt?: InboxReceiptState) => {
    void hub.journal.dispatch(event, e => hub.inbox.dispatch(e), receipt?.journaled ?? true)
  })

  const inboxLog = hub.logger.child({ component: 'inbox' })
  const authenticate = inboxAuthentication(hub.remote, inboxLog, { hubUrl: hub.config.hubUrl, verify: hub.signatures.verify, verifyRfc9421: hub.signatures.verifyRfc9421 })
  const guards = {
    beforeBody: [inboxAddressRateLimit(hub.addressRateLimiter, inboxLog)],
    afterBody: [refuseBlockedDomains(hub.domainBlocks)],
    afterAuthentication: [verifiedHostRateLimit(hub.rateLimiter, inboxLog)]
  }
  // First: an inbound POST meets the three inbox routes only, before Express's router.
  const inboxes = inboxRoutes({ apex: hub.apex, store: hub.store, authenticate, maxBodyBytes: hub.config.maxBodyBytes, guards, remote: hub.remote, journal: hub.journal, handles: event => hub.inbox.routeFor(event) !== undefined, hubUrl: hub.config.hubUrl, logger: inboxLog })
  app.use(wellKnownRoutes({ hubUrl: hub.config.hubUrl, hubName: hub.config.hubName ?? hostFromUrl(hub.config.hubUrl), version: hub.version, store: hub.store }))
  app.use(hubObjectRoutes(hub.apex, hub.store, hub.config.hubUrl))
  app.use(umbrellaCollectionRoutes(hub))
  app.use(umbrellaWorkObjectRoutes(hub))
  // One URL, two representations (JSON for ActivityPub clients, HTML for browsers): caches must key on Accept.
  app.get(ROUTES.actor, (_req, res, next) => { res.vary('Accept'); next() })
  app.use(activityPubRoutes({ apex: hub.apex }))

  const api = express.Router()
  api.use(jsonApiBody(hub.config.maxBodyBytes, refuseDeepJson()))
  api.use(coopRoutes(hub))
  api.use(serviceRoutes(hub))
  api.use(adminRoutes(hub))
  api.use(domainBlockRoutes(hub))
  api.use(directoryRoutes(hub))
  api.use(openApiRoutes(hub))
  api.use(poolRoutes(hub))
  api.use(agreementRoutes(hub))
  api.use(jobRoutes(hub))
  api.use(sourceRoutes(hub))
  api.use(siblingRoutes(hub))
  api.use(umbrellaRoutes(hub))
  api.use(umbrellaWorkRoutes(hub))
  app.use('/api/v1', api)
  app.use(feedRoutes(hub))
  // After the ActivityPub routes: apex answers /u/:actor for ActivityStreams clients, browsers get the page.
  app.use(webRoutes(hub))

  app.use(notFoundResponder)
  const respondError = errorResponder(hub.logger)
  app.use(respondError)
  answerInboxesFirst(app, inboxes, respondError)
  return app
}
