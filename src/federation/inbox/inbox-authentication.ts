import type { Request } from 'express'
import { ForbiddenAddressError, ForbiddenError, MalformedBodyError, RemoteError, SignatureError } from '../../errors/app-errors'
import type { Logger } from '../../log/logger'
import { contentDigestProblem } from '../signatures/content-digest'
import { digestMatches } from '../signatures/digest'
import { parseSignatureHeader, signingString, verifySignatureAsync } from '../signatures/draft-cavage'
import type { SignatureCheck } from '../signatures/verifier-thread'
import { hasRfc9421Signature, parseRfc9421, Rfc9421Check, verifyRfc9421OnPool } from '../signatures/rfc9421'
import type { ActorKey, RemoteActors } from '../remote-actors'
import type { RawBodyRequest } from './activity-body-parser'
import type { InboxStep } from './inbox-steps'

/** How far a request's Date may be from this server's clock (Mastodon's and Fedify's window). */
export const CLOCK_WINDOW_MS = 60 * 60 * 1000

/** How long past its `expires` a signature is still accepted: clock skew between servers, no more. */
export const EXPIRES_SKEW_MS = 60 * 1000

/** The id of an activity's actor in the raw JSON (a string or an embedded object's id). */
export function rawActorId (body: Record<string, unknown>): string | null {
  const actor = Array.isArray(body.actor) ? body.actor[0] : body.actor
  if (typeof actor === 'string') return actor
  if (actor && typeof actor === 'object' && typeof (actor as { id?: unknown }).id === 'string') return (actor as { id: string }).id
  return null
}

/** Where the inbox is served and the clock (tests move it). */
export interface InboxAuthenticationOptions {
  /** The hub's public origin: RFC 9421 signatures cover the URI the peer posted to. */
  hubUrl: string
  now?: () => number
  /** How a draft-cavage signature is checked; libuv's thread pool (`verifySignatureAsync`) unless given. */
  verify?: SignatureCheck
  /** How an RFC 9421 signature is checked; libuv's thread pool (`verifyRfc9421OnPool`) unless given. */
  verifyRfc9421?: Rfc9421Check
}

/**
 * Authenticates an inbox POST before anything is processed. Either an RFC 9421 signature
 * (`Signature-Input`: `@method`, the target URI, `content-digest`, `created`) or a draft-cavage
 * one (`(request-target)`, `host`, `date` or `(created)`, `digest` or `content-digest`); every
 * `Digest` and `Content-Digest` is recomputed from the exact bytes; the time within an hour; the
 * key fetched from its owner (PEM or FEP-521a Multikey, RSA or Ed25519); the signer the
 * activity's actor or of its origin. Refusals are 401 (403 for a signer acting for someone else)
 * with a reason, in every environment.
 */
export function inboxAuthentication (remote: RemoteActors, logger: Logger, options: InboxAuthenticationOptions): InboxStep {
  const now = options.now ?? Date.now
  const checks: SignatureChecks = { cavage: options.verify ?? verifySignatureAsync, rfc9421: options.verifyRfc9421 ?? verifyRfc9421OnPool }
  /** A key that could not be fetched is the request's signature failing; any other error stays as it is. */
  const refusal = (err: unknown): unknown => {
    if (err instanceof RemoteError || err instanceof ForbiddenAddressError) {
      logger.info({ err: err.message }, 'inbox: could not fetch the signing key')
      return new SignatureError(`The signing key could not be fetched: ${err.message}`)
    }
    return err
  }
  // Not `async`: a refusal thrown at once is the step's refusal all the same (`runSteps`), and the
  // request waits on one promise, the signature's, instead of a chain of them.
  return (req, res) => {
    let sender: Promise<unknown>
    try {
      sender = authenticate(req as RawBodyRequest, remote, options.hubUrl, now(), checks)
    } catch (err) {
      throw refusal(err)
    }
    return sender.then(verified => { res.locals.apex.sender = verified }, err => { throw refusal(err) })
  }
}

/** How the signatures of each scheme are checked. */
interface SignatureChecks {
  cavage: SignatureCheck
  rfc9421: Rfc9421Check
}

/** The verified sender of the request; a check that fails at once throws, the others reject. */
function authenticate (req: RawBodyRequest, remote: RemoteActors, hubUrl: string, now: number, checks: SignatureChecks): Promise<unknown> {
  const headers = lowerCaseHeaders(req)
  const body = req.body as Record<string, unknown>
  checkBodyDigests(headers, req.rawBody)
  const verifying = hasRfc9421Signature(headers)
    ? verifyRfc9421Request(req, headers, remote, hubUrl, now, checks.rfc9421)
    : verifyCavageRequest(req, headers, remote, now, checks.cavage)
  return verifying.then(verified => senderOf(verified, body, remote))
}

/** The activity's actor when the signer may speak for it: the signer itself, or an actor of its origin. */
function senderOf (verified: ActorKey, body: Record<string, unknown>, remote: RemoteActors): unknown {
  const actorId = rawActorId(body)
  if (!actorId) throw new MalformedBodyError('The activity has no actor')
  if (verified.actor.id === actorId) return verified.actor
  if (new URL(verified.actor.id).origin !== safeOrigin(actorId)) {
    throw new ForbiddenError(`The request is signed by ${verified.actor.id} but the activity's actor is ${actorId}: a server may only send its own actors' activities`)
  }
  // Same origin, other actor (e.g. an instance actor relaying): the activity's actor counts as sender.
  return remote.getActor(actorId)
}

/** Every digest the request carries must match the exact bytes received. */
function checkBodyDigests (headers: Record<string, string | undefined>, rawBody: Buffer | undefined): void {
  const body = rawBody ?? Buffer.alloc(0)
  if (headers.digest !== undefined && !digestMatches(headers.digest, body)) {
    throw new SignatureError('The Digest header does not match the body: the body was changed after signing, or the digest is not SHA-256')
  }
  if (headers['content-digest'] !== undefined) {
    const problem = contentDigestProblem(headers['content-digest'], body)
    if (problem) throw new SignatureError(problem)
  }
}

// Not `async`: a refusal thrown here goes up through `authenticate` to the step, which refuses the
// request with it, and the checked request costs no promise of its own (this runs on every inbox request).
function verifyCavageRequest (req: Request, headers: Record<string, string | undefined>, remote: RemoteActors, now: number, verify: SignatureCheck): Promise<ActorKey> {
  const header = headers.signature ?? signatureFromAuthorization(headers.authorization)
  if (!header) throw new SignatureError('This inbox only accepts signed requests: the Signature header is missing')
  const params = parseSignatureHeader(header)
  if (!params) throw new SignatureError('The Signature header could not be parsed: expected keyId="…",headers="…",signature="…"')

  const signed = new Set(params.headers)
  for (const needed of ['(request-target)', 'host']) {
    if (!signed.has(needed)) throw new SignatureError(`The signature must cover ${needed}; it covers: ${params.headers.join(' ')}`)
  }
  if (!signed.has('digest') && !signed.has('content-digest')) {
    throw new SignatureError(`The signature must cover digest (or content-digest); it covers: ${params.headers.join(' ')}`)
  }
  if (!signed.has('date') && !signed.has('(created)')) {
    throw new SignatureError('The signature must cover date or (created)')
  }
  if (headers.digest === undefined && headers['content-digest'] === undefined) {
    throw new SignatureError('The Digest header is missing; it must hold the SHA-256 of the body')
  }
  checkClock(headers.date, params.created, params.expires, now)

  const text = signingString({ method: req.method, path: req.originalUrl, headers }, params)
  if (text === null) throw new SignatureError(`A header the signature lists is missing from the request (${params.headers.join(' ')})`)
  return verifyWithKey(remote, params.keyId, key => verify(text, params.signature, key, params.algorithm))
}

// Not `async`, as `verifyCavageRequest`.
function verifyRfc9421Request (req: Request, headers: Record<string, string | undefined>, remote: RemoteActors, hubUrl: string, now: number, verify: Rfc9421Check): Promise<ActorKey> {
  if (headers.signature === undefined) throw new SignatureError('Signature-Input is present but the Signature header is missing')
  const sig = parseRfc9421({ method: req.method, targetUri: `${hubUrl}${req.originalUrl}`, headers }, headers['signature-input'] as string, headers.signature)
  const covered = new Set(sig.components)
  if (!covered.has('@method')) throw new SignatureError('The signature must cover @method')
  if (!covered.has('@target-uri') && !(covered.has('@authority') && (covered.has('@path') || covered.has('@request-target')))) {
    throw new SignatureError('The signature must cover @target-uri (or @authority and @path)')
  }
  if (!covered.has('content-digest')) throw new SignatureError('The signature of a POST must cover content-digest')
  if (sig.created === null) throw new SignatureError('The signature has no created parameter')
  checkClock(undefined, sig.created, sig.expires, now)
  return verifyWithKey(remote, sig.keyId, key => verify(sig, key))
}

/** A check of the signature with a public key. */
type KeyCheck = (publicKeyPem: string) => Promise<boolean>

/**
 * Finds the key and checks the signature; on failure refetches the key once (the peer may have
 * rotated it). The key is nearly always kept: then the check is the only wait.
 */
function verifyWithKey (remote: RemoteActors, keyId: string, check: KeyCheck): Promise<ActorKey> {
  let kept: ActorKey | undefined
  try {
    kept = remote.getKeyNow(keyId)
  } catch (err) {
    return Promise.reject(err)
  }
  if (kept === undefined) return verifyWithFetchedKey(remote, keyId, check)
  const key = kept
  return check(key.publicKeyPem).then(verified => verified ? key : verifyWithRefetchedKey(remote, keyId, check))
}

async function verifyWithFetchedKey (remote: RemoteActors, keyId: string, check: KeyCheck): Promise<ActorKey> {
  const key = await remote.getKey(keyId)
  if (await check(key.publicKeyPem)) return key
  return await verifyWithRefetchedKey(remote, keyId, check)
}

async function verifyWithRefetchedKey (remote: RemoteActors, keyId: string, check: KeyCheck): Promise<ActorKey> {
  const key = await remote.getKey(keyId, true)
  if (await check(key.publicKeyPem)) return key
  throw new SignatureError(`The signature does not verify with the key ${keyId}`)
}

function checkClock (date: string | undefined, created: number | null, expires: number | null, now: number): void {
  if (created !== null && created * 1000 > now + CLOCK_WINDOW_MS) {
    throw new SignatureError('The signature was created more than an hour in the future: check the sending server\'s clock')
  }
  if (created !== null && created * 1000 < now - CLOCK_WINDOW_MS) {
    throw new SignatureError('The signature was created more than an hour ago: the request is too old (a replay?) or the sender\'s clock is wrong')
  }
  if (expires !== null && expires * 1000 < now - EXPIRES_SKEW_MS) {
    throw new SignatureError(`The signature expired at ${new Date(expires * 1000).toISOString()}, more than ${EXPIRES_SKEW_MS / 1000} s before this server's clock (${new Date(now).toISOString()}): sign the request again`)
  }
  if (date !== undefined) {
    const sent = parsedHttpDate(date)
    if (Number.isNaN(sent)) throw new SignatureError(`The Date header "${date}" is not an HTTP date`)
    if (Math.abs(now - sent) > CLOCK_WINDOW_MS) {
      throw new SignatureError(`The Date header (${date}) is more than an hour away from this server's clock (${new Date(now).toUTCString()}): the request is too old or the sender's clock is wrong`)
    }
  } else if (created === null) {
    throw new SignatureError('The request has neither a Date header nor a signature creation time')
  }
}

/** The last Date header parsed: under load most requests of one second carry the same one. */
let lastDate = { text: '', ms: NaN }

/** `Date.parse` of an HTTP date, the last answer kept for the next request sent in the same second. */
function parsedHttpDate (text: string): number {
  if (text !== lastDate.text) lastDate = { text, ms: Date.parse(text) }
  return lastDate.ms
}

function signatureFromAuthorization (value: string | undefined): string | undefined {
  return value && /^signature\s/i.test(value) ? value.replace(/^signature\s+/i, '') : undefined
}

function lowerCaseHeaders (req: Request): Record<string, string | undefined> {
  // Node's parser names every header in lower case and joins repeated ones into one string, all
  // but Set-Cookie (a list): the request's own headers then serve as they are, uncopied.
  if (req.headers['set-cookie'] === undefined && isNodesParse(req)) return req.headers as Record<string, string | undefined>
  const out: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Whether the request's headers are Node's parse of it (a request made in a test may carry any object). */
function isNodesParse (req: Request): boolean {
  return Array.isArray(req.rawHeaders)
}

function safeOrigin (iri: string): string | null {
  try { return new URL(iri).origin } catch { return null }
}
