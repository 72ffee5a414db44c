import type { Request } from 'express'
import { MalformedBodyError, UnsupportedMediaTypeError } from '../../errors/app-errors'
import { nestedDeeperThan } from './json-depth'
import { activityContentType, announcesBody } from './activity-media-type'
import { readRequestBody } from './request-body-reader'
import { decodeBody, isReadableCharset, parseStrictJson, unsupportedCharset } from './json-body-text'
import type { InboxStep } from './inbox-steps'

/** The request with the exact bytes received, kept for the Digest check. */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer
}

/** JSON nested deeper than this is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32

/**
 * body-parser's `verify` step for the JSON API, which runs on the raw bytes before JSON.parse:
 * refuses JSON nested deeper than MAX_JSON_DEPTH (400), counted on the text as the parser will
 * read it. The inbox reads its body itself (`activityBodyParser`).
 */
export function refuseDeepJson (): (req: Request, res: unknown, buf: Buffer, encoding: string) => void {
  return (_req, _res, buf, encoding) => { refuseDeepText(decodeBody(buf, encoding)) }
}

function refuseDeepText (text: string): void {
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new MalformedBodyError(`The JSON is nested more than ${MAX_JSON_DEPTH} levels deep; this hub accepts at most ${MAX_JSON_DEPTH}`)
  }
}

/**
 * The inbox step that reads a POST's body from the request stream, without Express's body parser: only
 * ActivityStreams JSON media types in a UTF charset (415 otherwise), identity, gzip or deflate
 * (415 otherwise), at most `limitBytes` bytes after inflating (413 beyond), JSON nested at most
 * MAX_JSON_DEPTH levels (checked on the text, before parsing), one JSON object (400 otherwise).
 * The bytes read are kept as `rawBody` for the Digest check.
 */
export function activityBodyParser (limitBytes: number): InboxStep {
  return async req => {
    if (!announcesBody(req.headers)) {
      throw new UnsupportedMediaTypeError('An inbox POST carries one activity as its body; this one has no body (neither Content-Length nor Transfer-Encoding)')
    }
    const type = activityContentType(req.headers['content-type'])
    if (type === null) {
      throw new UnsupportedMediaTypeError(`An inbox accepts application/activity+json or application/ld+json; got ${req.get('content-type') ?? 'no Content-Type'}`)
    }
    const charset = type.charset ?? 'utf-8'
    if (!isReadableCharset(charset)) throw unsupportedCharset(charset)
    // Marks the body as read, so that no body parser further on waits for it again.
    ;(req as Request & { _body?: boolean })._body = true
    const body = await new Promise<Buffer>((resolve, reject) => {
      readRequestBody(req, limitBytes, (err, read) => { if (err !== null) reject(err); else resolve(read ?? Buffer.alloc(0)) })
    })
    const text = decodeBody(body, charset)
    refuseDeepText(text)
    ;(req as RawBodyRequest).rawBody = body
    const parsed = parseStrictJson(text)
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new MalformedBodyError('The body must be one JSON object: an ActivityStreams activity')
    }
    req.body = parsed
  }
}
