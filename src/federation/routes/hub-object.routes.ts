import { Router } from 'express'
import { NotFoundError } from '../../errors/app-errors'
import type { HubStore } from '../../store/store.port'
import type { Apex } from '../apex-setup'
import { hubContextDocument } from '../jsonld/hub-context'
import { respondTarget, sendActivityJson, targetByRequestIri, requirePublic } from './apex-responders'
import { agreementAsPublished } from '../../domain/member-exchange-agreement'
import { countsAsPledged } from '../../domain/pledge'
import { agreementsCollectionIri, fundingPoolsCollectionIri, poolPledgesIri, ROUTES, servicesCollectionIri } from './route-paths'

/**
 * What the hub serves next to apex: a co-op's collections (services, funding pools,
 * agreements) and service objects, a pool's pledges, the instance actor, and the hub's JSON-LD
 * context at /ns.
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

  /** Serves one of a co-op's collections: every item inline, as the sibling sync of other hubs reads it. */
  const coopCollection = (path: string, iri: (username: string) => string, itemsOf: (actorId: string) => Promise<unknown[]>): void => {
    router.get(path, apex.net.validators.jsonld, async (req, res, next) => {
      try {
        const username = req.params.actor.toLowerCase()
        const coop = await store.getCoop(username)
        if (!coop) throw new NotFoundError(`There is no co-op "${username}" on this hub`)
        const items = await itemsOf(coop.actorId)
        await sendActivityJson(apex, res, { id: iri(username), type: 'OrderedCollection', attributedTo: coop.actorId, totalItems: items.length, orderedItems: items })
      } catch (err) { next(err) }
    })
  }
  coopCollection(ROUTES.services, u => servicesCollectionIri(hubUrl, u), async actorId => (await store.listServices({ actorId, local: true })).map(s => s.object))
  // The pools the co-op stewards, in every status (a deleted pool is gone: siblings forget it).
  coopCollection(ROUTES.fundingPools, u => fundingPoolsCollectionIri(hubUrl, u), async actorId =>
    (await store.pools.listPools({ stewardId: actorId, local: true })).map(p => p.object))
  // The agreements it is a party to: the version in force (or proposed) with today's status.
  coopCollection(ROUTES.agreements, u => agreementsCollectionIri(hubUrl, u), async actorId => {
    const now = new Date().toISOString()
    return (await store.agreements.listAgreements({ party: actorId })).map(r => agreementAsPublished(r, now))
  })

  // A local pool's accepted (and fulfilled) pledges: the finalized Pledge objects, public like the totals.
  router.get(ROUTES.poolPledges, apex.net.validators.jsonld, async (req, res, next) => {
    try {
      const poolId = `${hubUrl}${ROUTES.object.replace(':id', req.params.id.toLowerCase())}`
      const pool = await store.pools.getPool(poolId)
      if (!pool?.local) throw new NotFoundError(`There is no pool ${poolId} on this hub`)
      const items = []
      for (const pledge of await store.pools.listPledges({ poolId })) {
        const object = pledge.pledgeId && countsAsPledged(pledge.state) ? await store.getObject(pledge.pledgeId) : null
        if (object) items.push(object)
      }
      await sendActivityJson(apex, res, { id: poolPledgesIri(poolId), type: 'OrderedCollection', attributedTo: pool.stewardId, totalItems: items.length, orderedItems: items })
    } catch (err) { next(err) }
  })
  return router
}
