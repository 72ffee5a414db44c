import { Router } from 'express'
import { NotFoundError } from '../../errors/app-errors'
import type { HubStore } from '../../store/store.port'
import type { Apex } from '../apex-setup'
import { hubContextDocument } from '../jsonld/hub-context'
import { respondTarget, sendActivityJson, targetByRequestIri, requirePublic } from './apex-responders'
import { ROUTES, servicesCollectionIri } from './route-paths'

/**
 * What the hub serves next to apex: a co-op's services collection and service objects, the
 * instance actor, and the hub's JSON-LD context at /ns.
 */
export function hubObjectRoutes (apex: Apex, store: HubStore, hubUrl: string): Router {
  const router = Router()

  router.get(ROUTES.context, (_req, res) => {
    res.type('application/ld+json').json(hubContextDocument())
  })

  router.get(ROUTES.instanceActor, async (_req, res, next) => {
    try {
      const actor = await store.getObject(`${hubUrl}${ROUTES.instanceActor}`)
      if (!actor) throw new NotFoundError('The instance actor has not been created yet')
      await sendActivityJson(apex, res, actor)
    } catch (err) { next(err) }
  })

  router.get(ROUTES.service, apex.net.validators.jsonld, targetByRequestIri(apex, 'object'), requirePublic(apex), respondTarget(apex))

  router.get(ROUTES.services, apex.net.validators.jsonld, async (req, res, next) => {
    try {
      const username = req.params.actor.toLowerCase()
      const coop = store.getCoop(username)
      if (!coop) throw new NotFoundError(`There is no co-op "${username}" on this hub`)
      const items = store.listServices({ actorId: coop.actorId, local: true }).map(s => s.object)
      await sendActivityJson(apex, res, {
        id: servicesCollectionIri(hubUrl, username),
        type: 'OrderedCollection',
        attributedTo: coop.actorId,
        totalItems: items.length,
        orderedItems: items
      })
    } catch (err) { next(err) }
  })
  return router
}
