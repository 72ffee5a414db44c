import { NextFunction, Request, RequestHandler, Response } from 'express'
import { AuthenticationError, ForbiddenError } from '../errors/app-errors'
import { ADMIN_SCOPE, TokenService } from '../auth/token.service'
import type { HubStore } from '../store/store.port'

/** The token's scope, set on `res.locals.scope` by `requireToken`. */
export function scopeOf (res: Response): string {
  return res.locals.scope as string
}

/** Requires `Authorization: Bearer <token>` naming a token this hub issued. */
export function requireToken (tokens: TokenService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match) return next(new AuthenticationError('This needs an API token: send Authorization: Bearer <token>'))
    tokens.find(match[1]).then(record => {
      if (!record) return next(new AuthenticationError('The API token is not known to this hub'))
      res.locals.scope = record.scope
      next()
    }, next)
  }
}

/** After requireToken: the token must act for the co-op in `:username` (or be the admin's). */
export function requireCoopScope (store: HubStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const scope = scopeOf(res)
    if (scope === ADMIN_SCOPE) return next()
    store.getCoop(String(req.params.username).toLowerCase()).then(coop => {
      if (!coop || coop.actorId !== scope) {
        return next(new ForbiddenError(`This token does not act for co-op "${req.params.username}"`))
      }
      next()
    }, next)
  }
}

/** After requireToken: only the admin token. */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (scopeOf(res) !== ADMIN_SCOPE) return next(new ForbiddenError('Only the hub admin token may do this'))
  next()
}
