import { Router } from 'express'
import { NotFoundError, ValidationError } from '../../errors/app-errors'
import type { HubStore } from '../../store/store.port'
import { ROUTES } from './route-paths'

/** What discovery needs to know about the hub. */
export interface DiscoveryDeps {
  hubUrl: string
  hubName: string
  version: string
  store: HubStore
}

const NODEINFO_21 = 'http://nodeinfo.diaspora.software/ns/schema/2.1'
const AS_APPLICATION = 'https://www.w3.org/ns/activitystreams#Application'
const AS_SERVICE = 'https://www.w3.org/ns/activitystreams#Service'

/**
 * WebFinger (`acct:user@host`, actor URLs, and the hub's own URL for its instance actor per
 * FEP-d556) and NodeInfo 2.1 (schema-valid, with the FEP-2677 link to the instance actor).
 */
export function wellKnownRoutes ({ hubUrl, hubName, version, store }: DiscoveryDeps): Router {
  const router = Router()
  const host = new URL(hubUrl).host
  const instanceActor = `${hubUrl}${ROUTES.instanceActor}`

  router.get('/.well-known/webfinger', async (req, res, next) => {
    try {
      const resource = typeof req.query.resource === 'string' ? req.query.resource.trim() : ''
      if (!resource) throw new ValidationError('Add ?resource=acct:user@host (or an actor URL) to look someone up', { resource: 'is required' })
      const jrd = await lookup(resource)
      res.type('application/jrd+json').json(jrd)
    } catch (err) { next(err) }
  })

  async function lookup (resource: string): Promise<Record<string, unknown>> {
    if (resource === hubUrl || resource === `${hubUrl}/` || resource === `acct:${host}@${host}`) {
      return {
        subject: resource,
        aliases: [instanceActor],
        links: [
          { rel: 'self', type: 'application/activity+json', href: instanceActor },
          { rel: AS_SERVICE, type: 'application/activity+json', href: instanceActor }
        ]
      }
    }
    let username: string | undefined
    if (resource.toLowerCase().startsWith('acct:')) {
      const acct = resource.slice(5).replace(/^@/, '')
      const at = acct.lastIndexOf('@')
      if (at <= 0) throw new ValidationError(`"${resource}" is not of the form acct:user@host`, { resource: 'must be acct:user@host' })
      if (acct.slice(at + 1).toLowerCase() !== host.toLowerCase()) throw new NotFoundError(`${acct.slice(at + 1)} is not this hub (${host})`)
      username = acct.slice(0, at).toLowerCase()
    } else if (resource.startsWith(`${hubUrl}/u/`)) {
      username = resource.slice(`${hubUrl}/u/`.length).split(/[/?#]/)[0]
    } else {
      throw new NotFoundError(`${resource} is not an account on this hub`)
    }
    const coop = await store.getCoop(username)
    if (!coop) throw new NotFoundError(`There is no account ${username}@${host} on this hub; it answers for accounts @${host} only`)
    return {
      subject: `acct:${coop.username}@${host}`,
      aliases: [coop.actorId],
      links: [
        { rel: 'self', type: 'application/activity+json', href: coop.actorId },
        { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: coop.actorId }
      ]
    }
  }

  router.get('/.well-known/nodeinfo', (_req, res) => {
    res.json({
      links: [
        { rel: NODEINFO_21, href: `${hubUrl}/nodeinfo/2.1` },
        { rel: AS_APPLICATION, href: instanceActor }
      ]
    })
  })

  router.get('/nodeinfo/2.1', async (_req, res, next) => {
    try {
      const total = await store.getUserCount()
      res.type(`application/json; profile="${NODEINFO_21}#"`).send(JSON.stringify({
        version: '2.1',
        software: { name: 'ioocloud-hub', version, homepage: 'https://w3id.org/ioocloud' },
        protocols: ['activitypub'],
        services: { inbound: [], outbound: [] },
        openRegistrations: false,
        usage: { users: { total } },
        metadata: { nodeName: hubName, hubName, federation: { enabled: true }, directory: { feed: `${hubUrl}/directory.json`, schema: 'ioocloud-directory/0.1' } }
      }))
    } catch (err) { next(err) }
  })
  return router
}
