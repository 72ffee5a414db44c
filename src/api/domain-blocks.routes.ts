import { Router } from 'express'
import { NotFoundError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireAdmin, requireToken } from './auth'

/** /api/v1/admin/domain-blocks: the domains the hub refuses to federate with (admin token only). */
export function domainBlockRoutes (hub: HubContext): Router {
  const router = Router()
  const admin = [requireToken(hub.tokens), requireAdmin]

  router.get('/admin/domain-blocks', ...admin, wrap(async (_req, res) => {
    res.json({ items: await hub.domainBlocks.list() })
  }))

  router.post('/admin/domain-blocks', ...admin, wrap(async (req, res) => {
    const { created, ...block } = await hub.domainBlocks.add(req.body)
    res.status(created ? 201 : 200).json(block)
  }))

  router.delete('/admin/domain-blocks/:domain', ...admin, wrap(async (req, res) => {
    if (!(await hub.domainBlocks.remove(req.params.domain))) throw new NotFoundError(`${req.params.domain} is not blocked`)
    res.status(204).end()
  }))
  return router
}
