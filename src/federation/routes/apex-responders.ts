import { NextFunction, Request, RequestHandler, Response } from 'express'
import { ForbiddenError, GoneError, MethodNotAllowedError, NotFoundError, ValidationError } from '../../errors/app-errors'
import type { Apex } from '../apex-setup'
import { hasType } from '../../domain/activity-streams/nodes'
import type { InboxStep } from '../inbox/inbox-steps'

/** Turns the status apex left in `res.locals.apex` into one of the hub's errors (JSON everywhere). */
export function apexStatusError (status: number, message: string | undefined): Error {
  if (status === 404) return new NotFoundError(message ?? 'Not found on this hub')
  if (status === 410) return new GoneError(message ?? 'This was deleted')
  if (status === 403) return new ForbiddenError(message ?? 'The sender may not do this')
  if (status === 405) return new MethodNotAllowedError(message ?? 'Not allowed')
  return new ValidationError(message ?? 'The activity could not be processed')
}

/** Sends a node as ActivityStreams JSON, with the hub context inline. */
export async function sendActivityJson (apex: Apex, res: Response, node: Record<string, unknown>, status = 200): Promise<void> {
  const body = apex.stringifyPublicJSONLD(await apex.toJSONLD(node))
  res.status(status).type('application/activity+json').send(body)
}

/** Replaces apex's `responders.target`: the target node, or a JSON error. */
export function respondTarget (apex: Apex): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const locals = res.locals.apex
    if (locals.status >= 400) return next(apexStatusError(locals.status, locals.statusMessage))
    if (!locals.target) return next(new NotFoundError(`Nothing is served at ${req.path}`))
    const gone = hasType(locals.target, 'Tombstone')
    sendActivityJson(apex, res, locals.target, gone ? 410 : 200).catch(next)
  }
}

/** Replaces apex's `responders.result` (collections): the result node, or a JSON error. */
export function respondResult (apex: Apex): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const locals = res.locals.apex
    if (locals.status >= 400) return next(apexStatusError(locals.status, locals.statusMessage))
    if (!locals.result) return next(new NotFoundError(`Nothing is served at ${req.path}`))
    sendActivityJson(apex, res, locals.result).catch(next)
  }
}

/** Replaces apex's `responders.status` on the inbox: 202 when accepted, a JSON error otherwise. */
export const respondInbox: InboxStep = (_req, res) => {
  const locals = res.locals.apex
  if (locals.status === undefined) {
    throw new ForbiddenError('The activity was not processed: its actor could not be matched to the signer')
  }
  if (locals.status >= 400) throw apexStatusError(locals.status, locals.statusMessage)
  res.status(202).end()
}

/** Looks up a local object or activity by the full IRI of the request (apex answers 404 in plain text). */
export function targetByRequestIri (apex: Apex, kind: 'object' | 'activity'): RequestHandler {
  return (req, res, next) => {
    const iri = `${apex.baseUrl}${req.path}`.toLowerCase()
    const store = apex.store as { getObject: (id: string) => Promise<unknown>, getActivity: (id: string) => Promise<unknown> }
    const lookup = kind === 'object' ? store.getObject(iri) : store.getActivity(iri)
    lookup.then(found => {
      if (!found) return next(new NotFoundError(`There is no ${kind} ${iri} on this hub`))
      res.locals.apex.target = found
      next()
    }).catch(next)
  }
}

/** Only public objects are served to anyone who asks. */
export function requirePublic (apex: Apex): RequestHandler {
  return (_req, res, next) => {
    const target = res.locals.apex.target
    const isPublic = (apex as unknown as { isPublic: (n: unknown) => boolean }).isPublic(target)
    if (target && !isPublic && !hasType(target, 'Tombstone') && !res.locals.apex.authorized) {
      return next(new NotFoundError('There is no public object here'))
    }
    next()
  }
}
