import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireAdmin, requireToken } from './auth'

/** /api/v1/admin: what the hub admin looks at (admin token only). */
export function adminRoutes (hub: HubContext): Router {
  const router = Router()
  router.get('/admin/deliveries', requireToken(hub.tokens), requireAdmin, wrap(async (_req, res) => {
    res.json({ queued: hub.store.deliveryQueueSize(), failures: hub.store.listDeliveryFailures(100) })
  }))
  return router
}
