import express, { RequestHandler } from 'express'
import { UnsupportedMediaTypeError } from '../errors/app-errors'

/** A check of the raw body before it is parsed (body-parser's `verify`): e.g. its nesting depth. */
type JsonVerify = NonNullable<Parameters<typeof express.json>[0]>['verify']

/** The media types the JSON API reads. */
const JSON_TYPES = ['application/json', 'application/*+json']

/**
 * The API's body reader: JSON up to `limit` bytes. A POST, PUT or PATCH whose body has another
 * media type (`curl -d` sends a form) gets 415 saying so, rather than a 400 about missing fields
 * that the body may well carry; a request without a body passes (some POSTs take none).
 */
export function jsonApiBody (limit: number, verify?: JsonVerify): RequestHandler[] {
  const refuseOtherTypes: RequestHandler = (req, _res, next) => {
    const empty = req.get('transfer-encoding') === undefined && Number(req.get('content-length') ?? 0) === 0
    if (!['POST', 'PUT', 'PATCH'].includes(req.method) || empty || req.is(JSON_TYPES) !== false) return next()
    const given = req.get('content-type') ?? 'none'
    next(new UnsupportedMediaTypeError(`The body must be JSON sent with Content-Type: application/json; this one was sent as ${given}. With curl, add -H 'Content-Type: application/json'`))
  }
  return [refuseOtherTypes, express.json({ limit, type: JSON_TYPES, verify })]
}
