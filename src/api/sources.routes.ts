import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireAdmin, requireToken } from './auth'

/** /api/v1/sources (admin): the directory sources the `directories` job imports. */
export function sourceRoutes (hub: HubContext): Router {
  const router = Router()
  const admin = [requireToken(hub.tokens), requireAdmin]

  router.get('/sources', ...admin, wrap(async (_req, res) => {
    res.json({ items: await hub.sync.sources.list() })
  }))

  router.post('/sources', ...admin, wrap(async (req, res) => {
    res.status(201).json(await hub.sync.sources.add(req.body))
  }))

  router.get('/sources/:id', ...admin, wrap(async (req, res) => {
    res.json(await hub.sync.sources.get(req.params.id))
  }))

  router.post('/sources/:id/enable', ...admin, wrap(async (req, res) => {
    res.json(await hub.sync.sources.setEnabled(req.params.id, true))
  }))

  router.post('/sources/:id/disable', ...admin, wrap(async (req, res) => {
    res.json(await hub.sync.sources.setEnabled(req.params.id, false))
  }))

  router.delete('/sources/:id', ...admin, wrap(async (req, res) => {
    res.json(await hub.sync.sources.remove(req.params.id))
  }))
  return router
}
