import zlib from 'node:zlib'
import { Router } from 'express'
import type { HubContext } from '../../hub-context'
import { corsPreflight, sendCacheable } from '../http/cacheable-response'
import { buildDirectoryFeed } from './directory-feed'
import { DIRECTORY_PATHS } from './feed-paths'
import { buildMurmurationsProfile } from './murmurations'
import { hostFromUrl } from '../../config/hub-name'

const MAX_AGE = 300

/** The feed cached per directory version: serialised once, gzipped once. */
interface CachedFeed {
  version: number
  body: Buffer
  gzipped: Buffer
}

/** GET /directory.json (the whole directory, for sibling directories) and each local co-op's Murmurations profile. */
export function feedRoutes (hub: HubContext): Router {
  const router = Router()
  let cached: CachedFeed | null = null
  const hubName = hub.config.hubName ?? hostFromUrl(hub.config.hubUrl)

  router.options([DIRECTORY_PATHS.feed, DIRECTORY_PATHS.murmurations], corsPreflight)

  router.get(DIRECTORY_PATHS.feed, async (req, res, next) => {
    try {
      const version = await hub.directory.version()
      if (!cached || cached.version !== version) {
        const feed = buildDirectoryFeed({ url: hub.config.hubUrl, name: hubName }, await hub.directory.all(), new Date())
        const body = Buffer.from(JSON.stringify(feed), 'utf8')
        cached = { version, body, gzipped: zlib.gzipSync(body) }
      }
      sendCacheable(req, res, cached.body, { contentType: 'application/json; charset=utf-8', maxAge: MAX_AGE, gzipped: cached.gzipped })
    } catch (err) { next(err) }
  })

  router.get(DIRECTORY_PATHS.murmurations, async (req, res, next) => {
    try {
      const username = req.params.username.toLowerCase()
      const entry = await hub.directory.forCoop(username)
      const actorId = (await hub.store.getCoop(username))?.actorId ?? ''
      const [agreements, pools] = await Promise.all([hub.network.agreements({ party: actorId }), hub.network.pools({ steward: actorId }).then(list => list.map(p => p.object))])
      const profile = buildMurmurationsProfile({ entry, pageUrl: actorId, agreements, pools })
      sendCacheable(req, res, JSON.stringify(profile), { contentType: 'application/json; charset=utf-8', maxAge: MAX_AGE })
    } catch (err) { next(err) }
  })
  return router
}
