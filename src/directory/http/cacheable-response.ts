import crypto from 'node:crypto'
import zlib from 'node:zlib'
import type { Request, RequestHandler, Response } from 'express'

/** How a public read may be cached and shared. */
export interface CacheOptions {
  contentType: string
  /** Seconds a cache may reuse it without asking again. */
  maxAge: number
  /** A ready gzip form of the body (for large, often-read documents); otherwise compressed here when large. */
  gzipped?: Buffer
  /** True when the representation depends on the Accept header (content negotiation). */
  varyOnAccept?: boolean
}

const MIN_GZIP_BYTES = 1024

/** A strong ETag for one representation of a body. */
export function etagOf (body: Buffer, encoding: 'identity' | 'gzip'): string {
  const hash = crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)
  return `"${hash}${encoding === 'gzip' ? '-gz' : ''}"`
}

/** True when the request's If-None-Match names `etag` (weak or strong) or is `*`. */
function notModified (req: Request, etag: string): boolean {
  const header = req.get('if-none-match')
  if (!header) return false
  return header.split(',').map(t => t.trim().replace(/^W\//, '')).some(t => t === '*' || t === etag)
}

/** Sets the CORS headers of a public, read-only resource. */
export function allowCrossOriginReads (res: Response): void {
  res.set('Access-Control-Allow-Origin', '*')
  res.set('Access-Control-Expose-Headers', 'ETag, Content-Length')
}

/** Answers a CORS preflight for a public, read-only resource. */
export const corsPreflight: RequestHandler = (_req, res) => {
  allowCrossOriginReads(res)
  res.set('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
  res.set('Access-Control-Allow-Headers', 'Accept, Accept-Language, If-None-Match, Cache-Control')
  res.set('Access-Control-Max-Age', '86400')
  res.set('Allow', 'GET, HEAD, OPTIONS')
  res.status(204).end()
}

/**
 * Sends a public document with ETag, Cache-Control, CORS and (when asked for and worth it)
 * gzip; answers 304 when the client already has this representation.
 */
export function sendCacheable (req: Request, res: Response, body: string | Buffer, options: CacheOptions): void {
  const plain = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  const wantsGzip = req.acceptsEncodings('gzip', 'identity') === 'gzip'
  const gzipped = wantsGzip && (options.gzipped ?? (plain.length >= MIN_GZIP_BYTES ? zlib.gzipSync(plain) : undefined))
  const sent = gzipped || plain
  const etag = etagOf(plain, gzipped ? 'gzip' : 'identity')
  allowCrossOriginReads(res)
  res.set('Cache-Control', `public, max-age=${options.maxAge}`)
  res.set('Vary', options.varyOnAccept ? 'Accept, Accept-Encoding' : 'Accept-Encoding')
  res.set('ETag', etag)
  if (notModified(req, etag)) {
    res.status(304).end()
    return
  }
  res.set('Content-Type', options.contentType)
  if (gzipped) res.set('Content-Encoding', 'gzip')
  res.set('Content-Length', String(sent.length))
  res.status(200).end(req.method === 'HEAD' ? undefined : sent)
}
