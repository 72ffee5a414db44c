import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { ValidationError } from '../errors/app-errors'
import { wrap } from './async-handler'
import { requireAdmin, requireCoopScope, requireToken } from './auth'

/** /api/v1/coops: register co-ops, read them, manage their services and follows. */
export function coopRoutes (hub: HubContext): Router {
  const router = Router()
  const auth = requireToken(hub.tokens)
  const forCoop = [auth, requireCoopScope(hub.store)]

  router.post('/coops', auth, requireAdmin, wrap(async (req, res) => {
    res.status(201).json(await hub.coops.create(req.body))
  }))

  router.get('/coops', wrap(async (_req, res) => {
    res.json({ items: await hub.coops.list() })
  }))

  router.delete('/coops/:username', auth, requireAdmin, wrap(async (req, res) => {
    await hub.coops.delete(req.params.username.toLowerCase())
    res.status(204).end()
  }))

  router.get('/coops/:username', wrap(async (req, res) => {
    const username = req.params.username.toLowerCase()
    const coop = await hub.coops.view(username)
    const services = await hub.services.list({ actorId: coop.id, local: true })
    res.json({ ...coop, services })
  }))

  router.patch('/coops/:username', ...forCoop, wrap(async (req, res) => {
    res.json(await hub.coops.update(req.params.username.toLowerCase(), req.body))
  }))

  router.put('/coops/:username/services/:key', ...forCoop, wrap(async (req, res) => {
    const { id, created } = await hub.services.put(req.params.username.toLowerCase(), req.params.key, req.body)
    res.status(created ? 201 : 200).json({ id })
  }))

  router.delete('/coops/:username/services/:key', ...forCoop, wrap(async (req, res) => {
    await hub.services.remove(req.params.username.toLowerCase(), req.params.key)
    res.status(204).end()
  }))

  router.post('/coops/:username/follows', ...forCoop, wrap(async (req, res) => {
    const follow = await hub.follows.follow(req.params.username.toLowerCase(), req.body)
    res.status(202).json(follow)
  }))

  router.delete('/coops/:username/follows', ...forCoop, wrap(async (req, res) => {
    const target = typeof req.query.target === 'string' ? req.query.target : ''
    if (!target) throw new ValidationError('Add ?target=<user@host or actor URL> to say which follow to undo', { target: 'is required' })
    await hub.follows.unfollow(req.params.username.toLowerCase(), target)
    res.status(204).end()
  }))

  router.get('/coops/:username/follows', ...forCoop, wrap(async (req, res) => {
    res.json({ items: await hub.follows.list(req.params.username.toLowerCase()) })
  }))

  router.get('/coops/:username/follow-requests', ...forCoop, wrap(async (req, res) => {
    res.json({ items: await hub.follows.listRequests(req.params.username.toLowerCase()) })
  }))

  for (const decision of ['accept', 'reject'] as const) {
    router.post(`/coops/:username/follow-requests/:id/${decision}`, ...forCoop, wrap(async (req, res) => {
      res.json(await hub.follows.answer(req.params.username.toLowerCase(), req.params.id, decision))
    }))
  }
  return router
}
