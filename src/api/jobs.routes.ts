import { Router } from 'express'
import { ValidationError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireAdmin, requireToken } from './auth'

/** Options a run may be limited by, as query parameters. */
const RUN_OPTIONS = ['source', 'actor', 'service', 'force'] as const

/**
 * /api/v1/jobs (admin): schedules, last and next runs, history, and running a job now. A run
 * started here answers when it has finished, with its counts.
 */
export function jobRoutes (hub: HubContext): Router {
  const router = Router()
  const admin = [requireToken(hub.tokens), requireAdmin]

  router.get('/jobs', ...admin, wrap(async (_req, res) => {
    res.json({ scheduler: hub.config.sync.scheduler, timezone: hub.config.sync.timezone, items: await hub.sync.jobs.list() })
  }))

  router.get('/jobs/:name/runs', ...admin, wrap(async (req, res) => {
    const limit = req.query.limit === undefined ? 20 : Number(req.query.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('limit must be a whole number from 1 to 200', { limit: 'must be 1 to 200' })
    res.json({ items: await hub.sync.jobs.history(req.params.name, limit) })
  }))

  router.post('/jobs/:name/runs', ...admin, wrap(async (req, res) => {
    const options: Record<string, string> = {}
    for (const [key, value] of Object.entries(req.query)) {
      if (!(RUN_OPTIONS as readonly string[]).includes(key)) throw new ValidationError(`Unknown option ${key}; a run takes ${RUN_OPTIONS.join(', ')}`, { [key]: 'is not a known option' })
      if (typeof value !== 'string' || value === '') throw new ValidationError(`The option ${key} must be given once, as text`, { [key]: 'must be text' })
      options[key] = value
    }
    res.status(201).json(await hub.sync.jobs.runNow(req.params.name, options))
  }))
  return router
}
