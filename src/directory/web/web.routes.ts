import express, { ErrorRequestHandler, Request, Response, Router } from 'express'
import { AppError, NotFoundError } from '../../errors/app-errors'
import { statusFor } from '../../api/error-response'
import type { HubContext } from '../../hub-context'
import { hostFromUrl } from '../../config/hub-name'
import { FACETS } from '../../store/ports/directory.port'
import { DIRECTORY_PATHS } from '../feeds/feed-paths'
import { parseSearchRequest } from '../search-request'
import { EN, format, Messages } from './messages'
import { PageData } from './page-data'
import { PageRenderer, STATIC_DIR } from './render'
import { UmbrellaPageData } from './umbrella-page-data'
import { ViewHelpers } from './view-helpers'

/** No scripts, no third-party requests: styles and images from this hub only. */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

/**
 * The directory's server-rendered pages: search, a co-op's or umbrella's page (also at its actor
 * URL, for browsers: register after the ActivityPub routes), umbrellas, pools, the network
 * picture and the map.
 */
export function webRoutes (hub: HubContext, renderer = new PageRenderer()): Router {
  const router = Router()
  const m: Messages = EN
  const h = new ViewHelpers(m)
  const data = new PageData(hub.directory, hub.network, h)
  const umbrellas = new UmbrellaPageData(hub.store, hub.directory, h)
  const hubName = hub.config.hubName ?? hostFromUrl(hub.config.hubUrl)
  const footer = format(escapeHtml(m.footer.feeds), {
    feed: `<a href="${DIRECTORY_PATHS.feed}">${escapeHtml(m.footer.feedLink)}</a>`,
    api: `<a href="/api/v1/directory">${escapeHtml(m.footer.apiLink)}</a>`
  })

  const page = (res: Response, template: string, title: string, values: Record<string, unknown>, status = 200): void => {
    const html = renderer.render(template, { ...values, m, h, hubName, title, footer })
    res.status(status)
    res.set('Content-Type', 'text/html; charset=utf-8')
    res.set('Content-Security-Policy', CSP)
    res.set('X-Content-Type-Options', 'nosniff')
    res.set('Referrer-Policy', 'same-origin')
    res.set('Cache-Control', 'public, max-age=60')
    res.send(html)
  }
  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: (err?: unknown) => void): void => {
    fn(req, res).catch(next)
  }

  router.use('/static', express.static(STATIC_DIR, { maxAge: '1h', index: false, fallthrough: true }))

  router.get(DIRECTORY_PATHS.home, handle(async (req, res) => {
    const request = parseSearchRequest(req.query as Record<string, unknown>)
    const result = await hub.directory.search(request)
    const active = FACETS.filter(f => request.filters[f]).map(f => ({
      label: m.facets[f], value: h.label(f, request.filters[f] as string), href: h.searchHref(request, { [f]: undefined })
    }))
    page(res, 'home', m.home.title, {
      request,
      result,
      facets: h.facetViews(result.facets, request),
      active,
      nextHref: result.next ? h.searchHref(request, { cursor: result.next }) : null,
      firstHref: h.searchHref(request, {})
    })
  }))

  const entryPage = async (res: Response, entry: Awaited<ReturnType<typeof hub.directory.get>>): Promise<void> => {
    const [sections, services] = await Promise.all([data.coopSections(entry), data.services(entry)])
    const handle = entry.local && entry.actor ? `@${new URL(entry.actor).pathname.split('/').pop()}@${new URL(entry.actor).host}` : undefined
    const alternates = entry.actor ? [{ type: 'application/activity+json', href: entry.actor }] : []
    page(res, 'entry', entry.name, { entry, services, ...sections, handle, alternates })
  }

  router.get(DIRECTORY_PATHS.entry, handle(async (req, res) => {
    await entryPage(res, await hub.directory.get(req.params.id))
  }))

  // Browsers reach this for /u/:username; apex's route answered ActivityStreams clients already.
  router.get(DIRECTORY_PATHS.coop, handle(async (req, res) => {
    res.set('Vary', 'Accept')
    // Umbrellas share the co-ops' username space and actor URLs; their page is their own.
    const umbrella = await umbrellas.umbrella(req.params.username)
    if (umbrella) {
      const view = await umbrellas.page(umbrella)
      page(res, 'umbrella', view.name, { u: view, alternates: [{ type: 'application/activity+json', href: view.actorId }] })
      return
    }
    await entryPage(res, await hub.directory.forCoop(req.params.username.toLowerCase()))
  }))

  router.get(DIRECTORY_PATHS.umbrellas, handle(async (_req, res) => {
    page(res, 'umbrellas', m.umbrellas.title, { umbrellas: await umbrellas.list() })
  }))

  router.get(DIRECTORY_PATHS.pools, handle(async (_req, res) => {
    page(res, 'pools', m.pools.title, { pools: await data.openPools() })
  }))

  router.get(DIRECTORY_PATHS.network, handle(async (_req, res) => {
    page(res, 'network', m.network.title, await data.networkGraph())
  }))

  router.get(DIRECTORY_PATHS.map, handle(async (_req, res) => {
    page(res, 'map', m.map.title, await data.mapPoints())
  }))

  // A path nothing serves, asked for by a browser: a page with a way home. API clients (JSON or
  // anything, as curl asks) go on to the JSON 404.
  router.use((req, _res, next) => {
    const browser = (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/') &&
      req.accepts(['application/json', 'text/html']) === 'text/html'
    next(browser ? new NotFoundError(format(m.errors.noPage, { path: req.path })) : undefined)
  })

  // Errors of these pages are pages too; anything unexpected goes on to the JSON error responder.
  const htmlErrors: ErrorRequestHandler = (err, _req, res, next) => {
    if (!(err instanceof AppError) || res.headersSent) return next(err)
    const status = statusFor(err)
    const heading = err instanceof NotFoundError ? m.errors.notFoundTitle : m.errors.badRequestTitle
    page(res, 'error', heading, { heading, message: err.message }, status)
  }
  router.use(htmlErrors)
  return router
}

function escapeHtml (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
