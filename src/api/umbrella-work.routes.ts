import { Router } from 'express'
import { NotFoundError } from '../errors/app-errors'
import type { HubContext } from '../hub-context'
import { sendActivityJson } from '../federation/routes/apex-responders'
import { wrap } from './async-handler'
import { requireCoopScope, requireToken, scopeOf } from './auth'

/**
 * An umbrella's shared projects, commitments, progress posts, decisions and votes. The GETs are
 * public and answer for a local umbrella (by username) or, on a member's hub, for a remote one
 * this hub keeps copies of (by URL-encoded actor id), so every hub can be compared.
 */
export function umbrellaWorkRoutes (hub: HubContext): Router {
  const router = Router()
  const auth = requireToken(hub.tokens)
  const forCoop = [auth, requireCoopScope(hub.store)]
  const work = hub.umbrellaWork
  const coopId = async (username: string): Promise<string> => (await hub.coops.require(username.toLowerCase())).actorId
  /** The umbrella a path names: its actor id when local (by username) or an http(s) actor id this hub keeps copies for. */
  const umbrellaIdOf = async (reference: string): Promise<string> => {
    const local = await hub.store.umbrellas.getUmbrella(reference.toLowerCase())
    if (local) return local.actorId
    if (/^https?:\/\//.test(reference)) return reference
    throw new NotFoundError(`There is no umbrella "${reference}" on this hub; name a remote one by its URL-encoded actor id`)
  }
  const forUmbrella = async (username: string, scope: string): Promise<string> => (await hub.umbrellas.requireFor(username.toLowerCase(), scope)).actorId

  router.put('/umbrellas/:username/projects/:key', auth, wrap(async (req, res) => {
    const umbrellaId = await forUmbrella(req.params.username, scopeOf(res))
    const { created, project } = await work.projects.put(umbrellaId, req.params.key, req.body)
    res.status(created ? 201 : 200).json(project)
  }))

  router.get('/umbrellas/:umbrella/projects', wrap(async (req, res) => {
    const umbrellaId = await umbrellaIdOf(req.params.umbrella)
    res.json({ umbrella: umbrellaId, items: await work.projects.list(umbrellaId) })
  }))

  router.get('/umbrellas/:umbrella/projects/:key', wrap(async (req, res) => {
    res.json(await work.projects.view(`${await umbrellaIdOf(req.params.umbrella)}/projects/${req.params.key}`))
  }))

  router.get('/umbrellas/:umbrella/projects/:key/posts', wrap(async (req, res) => {
    const projectId = `${await umbrellaIdOf(req.params.umbrella)}/projects/${req.params.key}`
    await work.projects.view(projectId)
    res.json({ project: projectId, items: await work.progress.list(projectId) })
  }))

  router.post('/umbrellas/:username/projects/:key/posts', auth, wrap(async (req, res) => {
    const umbrellaId = await forUmbrella(req.params.username, scopeOf(res))
    res.status(201).json(await work.progress.post(`${umbrellaId}/projects/${req.params.key}`, req.body))
  }))

  router.post('/coops/:username/commitments', ...forCoop, wrap(async (req, res) => {
    res.status(202).json(await work.projects.commit(await coopId(req.params.username), req.body))
  }))

  router.post('/umbrellas/:username/decisions', auth, wrap(async (req, res) => {
    const umbrellaId = await forUmbrella(req.params.username, scopeOf(res))
    res.status(201).json(await work.decisions.open(umbrellaId, req.body))
  }))

  router.get('/umbrellas/:umbrella/decisions', wrap(async (req, res) => {
    const umbrellaId = await umbrellaIdOf(req.params.umbrella)
    res.json({ umbrella: umbrellaId, items: await work.decisions.list(umbrellaId) })
  }))

  router.get('/umbrellas/:umbrella/decisions/:id', wrap(async (req, res) => {
    res.json(await work.decisions.view(`${await umbrellaIdOf(req.params.umbrella)}/decisions/${req.params.id}`))
  }))

  router.post('/coops/:username/votes', ...forCoop, wrap(async (req, res) => {
    res.status(202).json(await work.decisions.vote(await coopId(req.params.username), req.body))
  }))

  router.get('/coops/:username/votes', ...forCoop, wrap(async (req, res) => {
    res.json({ items: await work.decisions.sentVotes(await coopId(req.params.username)) })
  }))
  return router
}

/**
 * A local umbrella's decisions (`Question`) and shared projects (`Page`) at their ids, and a
 * project's commitments collection, as ActivityStreams JSON.
 */
export function umbrellaWorkObjectRoutes (hub: HubContext): Router {
  const router = Router()
  const json = hub.apex.net.validators.jsonld
  const base = (username: string): string => `${hub.config.hubUrl}/u/${username.toLowerCase()}`

  router.get('/u/:actor/decisions/:id', json, wrap(async (req, res) => {
    const id = `${base(req.params.actor)}/decisions/${req.params.id}`
    const question = await hub.umbrellaWork.decisions.question(id)
    if (!question) throw new NotFoundError(`There is no decision ${id} on this hub`)
    await sendActivityJson(hub.apex, res, question)
  }))

  router.get('/u/:actor/projects/:key', json, wrap(async (req, res) => {
    const id = `${base(req.params.actor)}/projects/${req.params.key}`
    const page = await hub.umbrellaWork.projects.page(id)
    if (!page) throw new NotFoundError(`There is no project ${id} on this hub`)
    await sendActivityJson(hub.apex, res, page)
  }))

  router.get('/u/:actor/projects/:key/commitments', json, wrap(async (req, res) => {
    const projectId = `${base(req.params.actor)}/projects/${req.params.key}`
    const items = await hub.umbrellaWork.projects.commitmentObjects(projectId)
    if (!items) throw new NotFoundError(`There is no project ${projectId} on this hub`)
    await sendActivityJson(hub.apex, res, { id: `${projectId}/commitments`, type: 'OrderedCollection', totalItems: items.length, orderedItems: items })
  }))
  return router
}
