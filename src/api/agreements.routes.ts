import { Router } from 'express'
import { ValidationError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireCoopScope, requireToken, scopeOf } from './auth'
import { idCandidates } from './path-id'

/** /api/v1 agreements: offer, accept, reject, amend and terminate them; public reads; the Nextcloud bridge. */
export function agreementRoutes (hub: HubContext): Router {
  const router = Router()
  const auth = requireToken(hub.tokens)
  const forCoop = [auth, requireCoopScope(hub.store)]
  const ids = (param: string): string[] => idCandidates(param, hub.config.hubUrl)

  router.post('/coops/:username/agreements', ...forCoop, wrap(async (req, res) => {
    res.status(201).json(await hub.agreements.propose(req.params.username.toLowerCase(), req.body))
  }))

  router.get('/agreements', wrap(async (req, res) => {
    const coop = req.query.coop
    if (coop !== undefined && (typeof coop !== 'string' || coop === '')) throw new ValidationError('The query parameter coop must be given once, as a username', { coop: 'must be a username' })
    res.json({ items: await hub.agreements.list(coop?.toLowerCase()) })
  }))

  router.get('/agreements/:id', wrap(async (req, res) => {
    res.json(hub.agreements.view(await hub.agreements.require(ids(req.params.id))))
  }))

  router.patch('/agreements/:id', auth, wrap(async (req, res) => {
    res.json(await hub.agreements.amend(ids(req.params.id), scopeOf(res), req.body))
  }))

  router.post('/agreements/:id/accept', auth, wrap(async (req, res) => {
    res.json(await hub.agreements.decide(ids(req.params.id), scopeOf(res), 'accepted', req.body))
  }))

  router.post('/agreements/:id/reject', auth, wrap(async (req, res) => {
    res.json(await hub.agreements.decide(ids(req.params.id), scopeOf(res), 'rejected', req.body))
  }))

  router.post('/agreements/:id/terminate', auth, wrap(async (req, res) => {
    res.json(await hub.agreements.terminate(ids(req.params.id), scopeOf(res), req.body))
  }))

  router.get('/coops/:username/trusted-servers', wrap(async (req, res) => {
    const servers = await hub.trustedServers.list(req.params.username.toLowerCase())
    const wantsText = req.query.format === 'text' || (req.query.format === undefined && req.accepts(['application/json', 'text/plain']) === 'text/plain')
    if (req.query.format !== undefined && req.query.format !== 'text' && req.query.format !== 'json') {
      throw new ValidationError('The query parameter format must be text or json', { format: 'must be text or json' })
    }
    if (wantsText) {
      res.type('text/plain').send(servers.map(s => s.url).join('\n') + (servers.length ? '\n' : ''))
      return
    }
    res.json({ urls: servers.map(s => s.url), items: servers })
  }))
  return router
}
