import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { sendActivityJson } from '../federation/routes/apex-responders'
import { umbrellaCollections } from '../umbrellas/umbrella-actor'
import { wrap } from './async-handler'
import { requireAdmin, requireCoopScope, requireToken, scopeOf } from './auth'

/** /api/v1/umbrellas and a co-op's memberships: create and edit umbrellas, join, answer, leave, remove. */
export function umbrellaRoutes (hub: HubContext): Router {
  const router = Router()
  const auth = requireToken(hub.tokens)
  const forCoop = [auth, requireCoopScope(hub.store)]
  const name = (value: string): string => value.toLowerCase()

  router.post('/umbrellas', auth, requireAdmin, wrap(async (req, res) => {
    res.status(201).json(await hub.umbrellas.create(req.body))
  }))

  router.get('/umbrellas', wrap(async (_req, res) => {
    res.json({ items: await hub.umbrellas.list() })
  }))

  router.get('/umbrellas/:username', wrap(async (req, res) => {
    res.json(await hub.umbrellas.view(name(req.params.username)))
  }))

  router.patch('/umbrellas/:username', auth, wrap(async (req, res) => {
    await hub.umbrellas.requireFor(name(req.params.username), scopeOf(res))
    res.json(await hub.umbrellas.update(name(req.params.username), req.body))
  }))

  // Public: a local umbrella by username, or any umbrella this hub keeps a member list of by actor id.
  router.get('/umbrellas/:umbrella/members', wrap(async (req, res) => {
    res.json(await hub.umbrellaMemberships.members(req.params.umbrella))
  }))

  router.post('/umbrellas/:username/members', auth, requireAdmin, wrap(async (req, res) => {
    res.status(201).json(await hub.umbrellaMemberships.addMember(name(req.params.username), req.body))
  }))

  router.delete('/umbrellas/:username/members/:member', auth, wrap(async (req, res) => {
    await hub.umbrellaMemberships.removeMember(name(req.params.username), scopeOf(res), req.params.member)
    res.status(204).end()
  }))

  router.get('/umbrellas/:username/join-requests', auth, wrap(async (req, res) => {
    res.json({ items: await hub.umbrellaMemberships.listJoinRequests(name(req.params.username), scopeOf(res)) })
  }))

  for (const decision of ['accept', 'reject'] as const) {
    router.post(`/umbrellas/:username/join-requests/:id/${decision}`, auth, wrap(async (req, res) => {
      res.json(await hub.umbrellaMemberships.answerJoinRequest(name(req.params.username), scopeOf(res), req.params.id, decision))
    }))
  }

  router.post('/coops/:username/memberships', ...forCoop, wrap(async (req, res) => {
    res.status(202).json(await hub.memberships.join(name(req.params.username), req.body))
  }))

  router.get('/coops/:username/memberships', ...forCoop, wrap(async (req, res) => {
    res.json({ items: await hub.memberships.list(name(req.params.username)) })
  }))

  router.post('/coops/:username/memberships/leave', ...forCoop, wrap(async (req, res) => {
    res.status(202).json(await hub.memberships.leave(name(req.params.username), req.body))
  }))
  return router
}

/**
 * An umbrella's ActivityPub collections: `ioo:members` (the current members' actor ids, public),
 * `ioo:projects` (its project Pages) and `ioo:decisions` (its Questions, newest first), inline.
 */
export function umbrellaCollectionRoutes (hub: HubContext): Router {
  const router = Router()
  const collection = (kind: 'members' | 'projects' | 'decisions', itemsOf: (actorId: string) => Promise<unknown[]>): void => {
    router.get(`/u/:actor/${kind}`, hub.apex.net.validators.jsonld, wrap(async (req, res) => {
      const umbrella = await hub.umbrellas.require(req.params.actor)
      const items = await itemsOf(umbrella.actorId)
      const id = umbrellaCollections(hub.config.hubUrl, umbrella.username)[kind]
      await sendActivityJson(hub.apex, res, { id, type: 'OrderedCollection', attributedTo: umbrella.actorId, totalItems: items.length, orderedItems: items })
    }))
  }
  collection('members', async actorId => (await hub.store.umbrellas.listMembers(actorId)).map(m => m.actorId))
  collection('projects', async actorId => {
    const pages = []
    for (const project of await hub.store.umbrellaWork.listProjects(actorId)) pages.push(await hub.umbrellaWork.projects.page(project.id))
    return pages.filter(page => page !== null)
  })
  collection('decisions', async actorId => {
    const questions = []
    for (const decision of await hub.store.umbrellaWork.listDecisions(actorId)) questions.push(await hub.umbrellaWork.decisions.question(decision.id))
    return questions.filter(question => question !== null)
  })
  return router
}
