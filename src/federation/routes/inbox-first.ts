import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express'
import type { IncomingMessage, ServerResponse } from 'http'
import pathToRegexp from 'path-to-regexp'

/** One inbox POST route: an Express path with at most one `:param` segment, and its handler. */
export interface InboxRoute {
  path: string
  handler: RequestHandler
}

interface CompiledRoute {
  pattern: RegExp
  param: string | null
  handler: RequestHandler
}

/** Compiles a route's path with the matcher and options Express 4's router uses for its routes. */
function compile ({ path, handler }: InboxRoute): CompiledRoute {
  const keys: pathToRegexp.Key[] = []
  const pattern = pathToRegexp(path, keys, { sensitive: false, strict: false, end: true })
  if (keys.length > 1) throw new Error(`inbox route ${path}: one parameter at most`)
  return { pattern, param: keys.length === 1 ? String(keys[0].name) : null, handler }
}

/** The scheme and authority of an absolute-form request target. */
const ABSOLUTE_FORM_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i

/** The parameter as Express decodes it, or null when it does not decode (Express answers that). */
function decodeParam (value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}

/**
 * Answers inbox POSTs before Express's router: the request and response get what Express's own
 * start gives every request (its request and response methods, `locals`, `originalUrl`,
 * `params`), then the route's handler runs. An error goes to `onError`, the app's JSON error
 * responder; a handler that passes the request on (`next()`) hands it to the app as it is, which
 * is where it would have gone next. Everything else is the app's. Applied to the app itself
 * (its `handle`), so the listening server and supertest take the same path.
 */
export function answerInboxesFirst (app: Express, routes: readonly InboxRoute[], onError: ErrorRequestHandler): void {
  const compiled = routes.map(compile)
  const appHandle = (app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, done?: NextFunction) => void }).handle.bind(app)
  const appRequest = app.request
  const appResponse = app.response
  ;(app as unknown as { handle: typeof appHandle }).handle = (rawReq, rawRes, done) => {
    const url = rawReq.url ?? ''
    if (rawReq.method !== 'POST') return appHandle(rawReq, rawRes, done)
    // The absolute form (`POST http://host/u/x/inbox`), which a server must accept, is matched
    // on its path as Express's router matches it.
    const target = url.startsWith('/') ? url : url.replace(ABSOLUTE_FORM_ORIGIN, '')
    if (!target.startsWith('/')) return appHandle(rawReq, rawRes, done)
    const query = target.indexOf('?')
    const pathname = query === -1 ? target : target.slice(0, query)
    for (const route of compiled) {
      const match = route.pattern.exec(pathname)
      if (match === null) continue
      const params: Record<string, string> = {}
      if (route.param !== null) {
        const value = decodeParam(match[1])
        if (value === null) return appHandle(rawReq, rawRes, done)
        params[route.param] = value
      }
      // The hub's server creates them with the app's methods (`http-server.ts`): changing a live
      // object's prototype is what that avoids. Another server's (supertest's) get them here.
      const req = ((rawReq as Partial<Request>).app === app ? rawReq : Object.setPrototypeOf(rawReq, appRequest)) as Request
      const res = ((rawRes as Partial<Response>).app === app ? rawRes : Object.setPrototypeOf(rawRes, appResponse)) as Response
      req.originalUrl = req.originalUrl ?? url
      req.baseUrl = ''
      req.params = params
      req.query = {}
      req.res = res
      res.req = req
      res.locals = res.locals ?? Object.create(null)
      const next: NextFunction = (err?: unknown) => {
        if (err !== undefined && err !== 'route' && err !== 'router') return onError(err, req, res, () => { if (!res.headersSent) res.status(500).end() })
        appHandle(rawReq, rawRes, done)
      }
      req.next = next
      try {
        route.handler(req, res, next)
      } catch (error) {
        next(error)
      }
      return
    }
    appHandle(rawReq, rawRes, done)
  }
}
