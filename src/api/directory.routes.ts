import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { corsPreflight, sendCacheable } from '../directory/http/cacheable-response'
import { parseSearchRequest } from '../directory/search-request'
import { wrap } from './async-handler'

/** Seconds a cache may reuse a directory answer before revalidating it (ETag makes that cheap). */
const MAX_AGE = 60

/** /api/v1/directory: the public, read-only directory API (search and one entry), CORS-enabled. */
export function directoryRoutes (hub: HubContext): Router {
  const router = Router()

  router.options(['/directory', '/directory/:id'], corsPreflight)

  router.get('/directory', wrap(async (req, res) => {
    const request = parseSearchRequest(req.query as Record<string, unknown>)
    const result = await hub.directory.search(request)
    const next = result.next ? `${hub.config.hubUrl}/api/v1/directory?${nextQuery(req.query as Record<string, unknown>, result.next)}` : null
    sendCacheable(req, res, JSON.stringify({ ...result, links: { next } }), { contentType: 'application/json; charset=utf-8', maxAge: MAX_AGE })
  }))

  router.get('/directory/:id', wrap(async (req, res) => {
    const entry = await hub.directory.get(req.params.id)
    sendCacheable(req, res, JSON.stringify(entry), { contentType: 'application/json; charset=utf-8', maxAge: MAX_AGE })
  }))
  return router
}

/** The query string of the next page: the same search with the new cursor. */
function nextQuery (query: Record<string, unknown>, cursor: string): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (key !== 'cursor' && typeof value === 'string' && value !== '') params.set(key, value)
  }
  params.set('cursor', cursor)
  return params.toString()
}
