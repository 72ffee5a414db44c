import { EventEmitter } from 'events'
import express, { Express } from 'express'
import { adminRoutes } from './api/admin.routes'
import { coopRoutes } from './api/coops.routes'
import { errorResponder, notFoundResponder } from './api/error-response'
import { serviceRoutes } from './api/services.routes'
import type { HubContext } from './hub-context'
import type { InboxEvent } from './federation/inbox/handlers/inbox-event'
import { inboxAuthentication } from './federation/inbox/inbox-authentication'
import { activityBodyParser } from './federation/inbox/activity-body-parser'
import { activityPubRoutes } from './federation/routes/activitypub.routes'
import { hubObjectRoutes } from './federation/routes/hub-object.routes'
import { ROUTES } from './federation/routes/route-paths'
import { wellKnownRoutes } from './federation/routes/well-known.routes'
import { hostFromUrl } from './config/hub-name'

/** Builds the Express app: discovery, ActivityPub, the JSON API, and JSON errors everywhere. */
export function createApp (hub: HubContext): Express {
  const app = express()
  app.disable('x-powered-by')
  // Behind a reverse proxy the public URL comes from HUB_URL, never from forwarded headers.
  app.set('trust proxy', false)
  app.use(hub.apex)
  // apex emits this on the app after an inbox POST was answered; Express's types only know 'mount'.
  ;(app as unknown as EventEmitter).on('apex-inbox', (event: InboxEvent) => { void hub.inbox.dispatch(event) })

  const authenticate = inboxAuthentication(hub.remote, hub.logger.child({ component: 'inbox' }))
  app.use(wellKnownRoutes({ hubUrl: hub.config.hubUrl, hubName: hub.config.hubName ?? hostFromUrl(hub.config.hubUrl), version: hub.version, store: hub.store }))
  app.use(hubObjectRoutes(hub.apex, hub.store, hub.config.hubUrl))
  app.use(activityPubRoutes({ apex: hub.apex, store: hub.store, authenticate, maxBodyBytes: hub.config.maxBodyBytes }))
  // The instance actor publishes nothing; what reaches its inbox is authenticated and dropped.
  app.post(ROUTES.instanceInbox, ...activityBodyParser(hub.config.maxBodyBytes), authenticate, (_req, res) => { res.status(202).end() })

  const api = express.Router()
  api.use(express.json({ limit: hub.config.maxBodyBytes, type: ['application/json', 'application/*+json'] }))
  api.use(coopRoutes(hub))
  api.use(serviceRoutes(hub))
  api.use(adminRoutes(hub))
  app.use('/api/v1', api)

  app.use(notFoundResponder)
  app.use(errorResponder(hub.logger))
  return app
}
