import { Router } from 'express'
import { ValidationError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { wrap } from './async-handler'
import { requireCoopScope, requireToken, scopeOf } from './auth'
import { idCandidates } from './path-id'

/** /api/v1 pools and pledges: open and run pools, pledge to pools on any hub, public reads. */
export function poolRoutes (hub: HubContext): Router {
  const router = Router()
  const auth = requireToken(hub.tokens)
  const forCoop = [auth, requireCoopScope(hub.store)]
  const ids = (param: string): string[] => idCandidates(param, hub.config.hubUrl)

  router.post('/coops/:username/pools', ...forCoop, wrap(async (req, res) => {
    res.status(201).json(await hub.pools.open(req.params.username.toLowerCase(), req.body))
  }))

  router.get('/pools', wrap(async (req, res) => {
    const coop = typeof req.query.coop === 'string' ? (await hub.coops.require(req.query.coop.toLowerCase())).actorId : undefined
    const local = booleanQuery(req.query.local, 'local')
    res.json({ items: await hub.pools.list({ stewardId: coop, local }, async records => await hub.poolCopies.freshAll(records)) })
  }))

  router.get('/pools/:id', wrap(async (req, res) => {
    const record = await hub.poolCopies.fresh(await firstFound(ids(req.params.id), id => hub.pools.require(id)))
    const view = await hub.pools.view(record)
    res.json({ ...view, pledges: await hub.pledges.list({ poolId: record.id }) })
  }))

  router.patch('/pools/:id', auth, wrap(async (req, res) => {
    const record = await firstFound(ids(req.params.id), id => hub.pools.require(id))
    res.json(await hub.pools.update(record.id, scopeOf(res), req.body))
  }))

  router.delete('/pools/:id', auth, wrap(async (req, res) => {
    const record = await firstFound(ids(req.params.id), id => hub.pools.require(id))
    await hub.pools.remove(record.id, scopeOf(res))
    res.status(204).end()
  }))

  router.post('/coops/:username/pledges', ...forCoop, wrap(async (req, res) => {
    res.status(202).json(await hub.pledges.offer(req.params.username.toLowerCase(), req.body))
  }))

  router.get('/coops/:username/pledges', wrap(async (req, res) => {
    const coop = await hub.coops.require(req.params.username.toLowerCase())
    res.json({ items: await hub.pledges.list({ pledgerId: coop.actorId }) })
  }))

  router.get('/pledges/:id', wrap(async (req, res) => {
    res.json(hub.pledges.view(await hub.pledges.require(ids(req.params.id))))
  }))

  router.post('/pledges/:id/withdraw', auth, wrap(async (req, res) => {
    res.json(await hub.pledges.withdraw(ids(req.params.id), scopeOf(res)))
  }))

  router.post('/pledges/:id/fulfil', auth, wrap(async (req, res) => {
    res.json(await hub.pledges.fulfil(ids(req.params.id), scopeOf(res)))
  }))

  for (const decision of ['accept', 'reject'] as const) {
    router.post(`/pledges/:id/${decision}`, auth, wrap(async (req, res) => {
      const body = hub.schemas.validate('api/agreement-decision.schema.json', req.body ?? {})
      res.json(await hub.pledges.decide(ids(req.params.id), scopeOf(res), decision, body.reason))
    }))
  }
  return router
}

/** The first candidate id that `find` resolves; the last error (404) when none does. */
export async function firstFound<T> (candidates: string[], find: (id: string) => Promise<T>): Promise<T> {
  let last: unknown
  for (const id of candidates) {
    try {
      return await find(id)
    } catch (err) { last = err }
  }
  throw last
}

function booleanQuery (value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined
  if (value === 'true') return true
  if (value === 'false') return false
  throw new ValidationError(`The query parameter ${name} must be true or false`, { [name]: 'must be true or false' })
}
