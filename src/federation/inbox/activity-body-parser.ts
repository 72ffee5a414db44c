import express, { NextFunction, Request, RequestHandler, Response } from 'express'
import { MalformedBodyError, UnsupportedMediaTypeError } from '../../errors/app-errors'
import { TextDecoder } from 'node:util'
import { nestedDeeperThan } from './json-depth'

/** The request with the exact bytes received, kept for the Digest check. */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer
}

const ACTIVITY_TYPES = ['application/activity+json', 'application/ld+json', 'application/json']

/** JSON nested deeper than this is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32

/**
 * body-parser's `verify` step, which runs on the raw bytes before JSON.parse: refuses JSON
 * nested deeper than MAX_JSON_DEPTH (400) and keeps the bytes when `keep` says so.
 */
export function refuseDeepJson (keep = false): (req: Request, res: unknown, buf: Buffer, encoding: string) => void {
  return (req, _res, buf, encoding) => {
    if (nestedDeeperThan(decodeText(buf, encoding), MAX_JSON_DEPTH)) {
      throw new MalformedBodyError(`The JSON is nested more than ${MAX_JSON_DEPTH} levels deep; this hub accepts at most ${MAX_JSON_DEPTH}`)
    }
    if (keep) (req as RawBodyRequest).rawBody = Buffer.from(buf)
  }
}

/** The body as text in its declared UTF charset; one the hub cannot read is refused (415). */
function decodeText (buf: Buffer, encoding: string): string {
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding || 'utf-8')
  } catch {
    throw new UnsupportedMediaTypeError(`The charset ${encoding} is not supported; send UTF-8`)
  }
  return decoder.decode(buf)
}

/**
 * Parses an inbox POST: only ActivityStreams JSON media types, at most `limit` bytes (413
 * beyond), a JSON object nested at most MAX_JSON_DEPTH levels (checked on the bytes, before
 * parsing); the raw bytes are kept for the Digest check.
 */
export function activityBodyParser (limitBytes: number): RequestHandler[] {
  const parse = express.json({
    type: ACTIVITY_TYPES,
    limit: limitBytes,
    strict: true,
    verify: refuseDeepJson(true)
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
    next()
  }
  return [requireType, parse, checkShape]
}
