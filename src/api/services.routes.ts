import { Router } from 'express'
import { ValidationError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'

/** /api/v1/services: every hosted service this hub lists, local and federated (public). */
export function serviceRoutes (hub: HubContext): Router {
  const router = Router()
  router.get('/services', wrap(async (req, res) => {
    const coop = optionalString(req.query.coop, 'coop')
    const category = optionalString(req.query.category, 'category')
    res.json({ items: await hub.services.list({ actorId: coop, category }) })
  }))
  return router
}

function optionalString (value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw new ValidationError(`The query parameter ${name} must be given once, as text`, { [name]: 'must be text' })
  return value
}
