import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireAdmin, requireToken } from './auth'

/** /api/v1/admin: what the hub admin looks at (admin token only). */
export function adminRoutes (hub: HubContext): Router {
  const router = Router()
  router.get('/admin/deliveries', requireToken(hub.tokens), requireAdmin, wrap(async (_req, res) => {
    res.json({ queued: await hub.store.deliveryQueueSize(), failures: await hub.store.listDeliveryFailures(100) })
  }))
  // The queue and the failures per remote host, with each host's circuit breaker state.
  router.get('/admin/deliveries/hosts', requireToken(hub.tokens), requireAdmin, wrap(async (_req, res) => {
    const circuits = new Map(hub.delivery.breaker.states().map(c => [c.host, c]))
    const items = (await hub.store.deliveryControl.hostSummary()).map(h => {
      const c = circuits.get(h.host)
      return { ...h, circuit: c ? { state: c.state, consecutiveFailures: c.consecutiveFailures, openUntil: c.openUntil } : { state: 'closed', consecutiveFailures: 0, openUntil: null } }
    })
    res.json({ items })
  }))
  return router
}
