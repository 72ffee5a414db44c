import { NextFunction, Request, RequestHandler, Response } from 'express'
import { ForbiddenError, MalformedBodyError, RemoteError, SignatureError } from '../../errors/app-errors'
import type { Logger } from '../../log/logger'
import { digestMatches } from '../signatures/digest'
import { parseSignatureHeader, signingString, verifySignature } from '../signatures/draft-cavage'
import type { RemoteActors } from '../remote-actors'
import type { RawBodyRequest } from './activity-body-parser'

/** How far a request's Date may be from this server's clock (Mastodon's and Fedify's window). */
export const CLOCK_WINDOW_MS = 60 * 60 * 1000

/** The id of an activity's actor in the raw JSON (a string or an embedded object's id). */
export function rawActorId (body: Record<string, unknown>): string | null {
  const actor = Array.isArray(body.actor) ? body.actor[0] : body.actor
  if (typeof actor === 'string') return actor
  if (actor && typeof actor === 'object' && typeof (actor as { id?: unknown }).id === 'string') return (actor as { id: string }).id
  return null
}

/**
 * Authenticates an inbox POST before anything is processed: a draft-cavage signature over
 * `(request-target)`, `host`, `date` (or `(created)`) and `digest`; the Digest recomputed from the
 * exact bytes; the Date within an hour; the key fetched from its owner; the signer the activity's
 * actor or of its origin. Refusals are 401 (or 403 for a signer acting for someone else) with a
 * reason, in every environment.
 */
export function inboxAuthentication (remote: RemoteActors, logger: Logger, now: () => number = Date.now): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    authenticate(req as RawBodyRequest, remote, now())
      .then(sender => {
        res.locals.apex.sender = sender
        next()
      })
      .catch(err => {
        if (err instanceof RemoteError) {
          logger.info({ err: err.message }, 'inbox: could not fetch the signing key')
          return next(new SignatureError(`The signing key could not be fetched: ${err.message}`))
        }
        next(err)
      })
  }
}

async function authenticate (req: RawBodyRequest, remote: RemoteActors, now: number): Promise<unknown> {
  const header = req.get('signature') ?? signatureFromAuthorization(req.get('authorization'))
  if (!header) throw new SignatureError('This inbox only accepts signed requests: the Signature header is missing')
  const params = parseSignatureHeader(header)
  if (!params) throw new SignatureError('The Signature header could not be parsed: expected keyId="…",headers="…",signature="…"')

  const signed = new Set(params.headers)
  for (const needed of ['(request-target)', 'host', 'digest']) {
    if (!signed.has(needed)) throw new SignatureError(`The signature must cover ${needed}; it covers: ${params.headers.join(' ')}`)
  }
  if (!signed.has('date') && !signed.has('(created)')) {
    throw new SignatureError('The signature must cover date or (created)')
  }

  const digest = req.get('digest')
  if (!digest) throw new SignatureError('The Digest header is missing; it must hold the SHA-256 of the body')
  if (!req.rawBody || !digestMatches(digest, req.rawBody)) {
    throw new SignatureError('The Digest header does not match the body: the body was changed after signing, or the digest is not SHA-256')
  }

  checkClock(req.get('date'), params.created, params.expires, now)

  const text = signingString({
    method: req.method,
    path: req.originalUrl,
    headers: lowerCaseHeaders(req)
  }, params)
  if (text === null) throw new SignatureError(`A header the signature lists is missing from the request (${params.headers.join(' ')})`)

  const body = req.body as Record<string, unknown>
  const actorId = rawActorId(body)
  if (!actorId) throw new MalformedBodyError('The activity has no actor')

  let key = await remote.getKey(params.keyId)
  let valid = verifySignature(text, params.signature, key.publicKeyPem, params.algorithm)
  if (!valid) {
    // The peer may have rotated its key since we cached it: refetch once.
    key = await remote.getKey(params.keyId, true)
    valid = verifySignature(text, params.signature, key.publicKeyPem, params.algorithm)
  }
  if (!valid) throw new SignatureError(`The signature does not verify with the key ${params.keyId}`)

  if (key.actor.id === actorId) return key.actor
  if (new URL(key.actor.id).origin !== safeOrigin(actorId)) {
    throw new ForbiddenError(`The request is signed by ${key.actor.id} but the activity's actor is ${actorId}: a server may only send its own actors' activities`)
  }
  // Same origin, other actor (e.g. an instance actor relaying): the activity's actor counts as sender.
  return await remote.getActor(actorId)
}

function checkClock (date: string | undefined, created: number | null, expires: number | null, now: number): void {
  if (created !== null && created * 1000 > now + CLOCK_WINDOW_MS) {
    throw new SignatureError('The signature was created more than an hour in the future: check the sending server\'s clock')
  }
  if (expires !== null && expires * 1000 < now - CLOCK_WINDOW_MS) {
    throw new SignatureError('The signature has expired')
  }
  if (date !== undefined) {
    const sent = Date.parse(date)
    if (Number.isNaN(sent)) throw new SignatureError(`The Date header "${date}" is not an HTTP date`)
    if (Math.abs(now - sent) > CLOCK_WINDOW_MS) {
      throw new SignatureError(`The Date header (${date}) is more than an hour away from this server's clock (${new Date(now).toUTCString()}): the request is too old or the sender's clock is wrong`)
    }
  } else if (created === null) {
    throw new SignatureError('The request has neither a Date header nor a signature creation time')
  }
}

function signatureFromAuthorization (value: string | undefined): string | undefined {
  return value && /^signature\s/i.test(value) ? value.replace(/^signature\s+/i, '') : undefined
}

function lowerCaseHeaders (req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function safeOrigin (iri: string): string | null {
  try { return new URL(iri).origin } catch { return null }
}
