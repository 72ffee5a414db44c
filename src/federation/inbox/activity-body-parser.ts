import express, { NextFunction, Request, RequestHandler, Response } from 'express'
import { MalformedBodyError, UnsupportedMediaTypeError } from '../../errors/app-errors'

/** The request with the exact bytes received, kept for the Digest check. */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer
}

const ACTIVITY_TYPES = ['application/activity+json', 'application/ld+json', 'application/json']

/** JSON nested deeper than this is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32

/** Depth of a parsed JSON value (a scalar is 0). */
export function jsonDepth (value: unknown, limit = Infinity): number {
  if (value === null || typeof value !== 'object') return 0
  let deepest = 0
  for (const child of Object.values(value as Record<string, unknown>)) {
    const d = jsonDepth(child, limit)
    if (d > deepest) deepest = d
    if (deepest + 1 > limit) break
  }
  return deepest + 1
}

/**
 * Parses an inbox POST: only ActivityStreams JSON media types, at most `limit` bytes (413
 * beyond), a JSON object, not nested absurdly; the raw bytes are kept for the Digest check.
 */
export function activityBodyParser (limitBytes: number): RequestHandler[] {
  const parse = express.json({
    type: ACTIVITY_TYPES,
    limit: limitBytes,
    strict: true,
    verify: (req, _res, buf) => { (req as RawBodyRequest).rawBody = Buffer.from(buf) }
  })
  const requireType = (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.is(ACTIVITY_TYPES)) {
      return next(new UnsupportedMediaTypeError(`An inbox accepts application/activity+json or application/ld+json; got ${req.get('content-type') ?? 'no Content-Type'}`))
    }
    next()
  }
  const checkShape = (req: Request, _res: Response, next: NextFunction): void => {
    const body = req.body as unknown
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return next(new MalformedBodyError('The body must be one JSON object: an ActivityStreams activity'))
    }
    if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      return next(new MalformedBodyError(`The JSON is nested more than ${MAX_JSON_DEPTH} levels deep`))
    }
    next()
  }
  return [requireType, parse, checkShape]
}
