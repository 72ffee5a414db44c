import { Router } from 'express'
import { NotFoundError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { healthReport } from '../sync/health/health-report'
import { wrap } from './async-handler'
import { requireAdmin, requireToken } from './auth'

/**
 * /api/v1/siblings (admin): followed co-ops' reachability and NodeInfo, and co-ops they follow
 * suggested to the admin. /api/v1/health (public): local services' status and 30-day uptime.
 */
export function siblingRoutes (hub: HubContext): Router {
  const router = Router()
  const admin = [requireToken(hub.tokens), requireAdmin]

  router.get('/siblings', ...admin, wrap(async (_req, res) => {
    const known = new Map((await hub.store.siblings.list()).map(s => [s.actorId, s]))
    const items = (await hub.sync.siblings.followed()).map(actorId => {
      const s = known.get(actorId)
      return {
        actorId,
        reachable: s?.unreachableSince == null,
        unreachableSince: s?.unreachableSince ?? null,
        failures: s?.failures ?? 0,
        software: s?.software ?? null,
        lastAttemptAt: s?.lastAttemptAt ?? null,
        lastSuccessAt: s?.lastSuccessAt ?? null,
        lastError: s?.lastError ?? null
      }
    })
    res.json({ items })
  }))

  router.get('/siblings/suggestions', ...admin, wrap(async (req, res) => {
    res.json({ items: await hub.store.siblings.listSuggestions({ includeDismissed: req.query.all === '1' }) })
  }))

  router.delete('/siblings/suggestions/:actor', ...admin, wrap(async (req, res) => {
    if (!await hub.store.siblings.dismissSuggestion(req.params.actor)) throw new NotFoundError(`${req.params.actor} is not a suggestion`)
    res.status(204).end()
  }))

  router.get('/health', wrap(async (_req, res) => {
    res.json({ items: await healthReport(hub.store, hub.store.health) })
  }))
  return router
}
