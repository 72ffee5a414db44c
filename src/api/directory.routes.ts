import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { corsPreflight, sendCacheable } from '../directory/http/cacheable-response'
import { parseSearchRequest } from '../directory/search-request'
import { directoryEntryAs2 } from '../directory/feeds/directory-entry-as2'
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

  // The API form, or the ActivityStreams form (VOCABULARY.md) to a client that asks for it first.
  router.get('/directory/:id', wrap(async (req, res) => {
    const entry = await hub.directory.get(req.params.id)
    const as2 = req.accepts(['application/json', 'application/activity+json', 'application/ld+json']) !== 'application/json'
    const body = as2 ? directoryEntryAs2(entry, hub.config.hubUrl) : entry
    const contentType = as2 ? 'application/activity+json; charset=utf-8' : 'application/json; charset=utf-8'
    sendCacheable(req, res, JSON.stringify(body), { contentType, maxAge: MAX_AGE, varyOnAccept: true })
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
