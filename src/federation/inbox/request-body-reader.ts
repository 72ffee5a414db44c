import type { IncomingMessage } from 'http'
import type { Readable } from 'stream'
import zlib from 'zlib'
import { AppError, MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors/app-errors'

/** Called once with the body's bytes (after inflating), or with why it was refused. */
export type BodyCallback = (err: AppError | null, body?: Buffer) => void

/**
 * Reads a request's body into one buffer, at most `limitBytes` bytes after inflating.
 * Content-Encoding identity, gzip and deflate are read, any other is refused (415). Without
 * encoding, a Content-Length over the limit is refused (413) before a byte is read; a body that
 * grows past the limit is refused (413) as soon as it does, and the hub stops collecting it. A
 * connection that closes before the body is complete ends the read with a 400 (no one is left to
 * see it), never a read that waits forever. After a refusal the rest of the body is discarded,
 * so the connection can carry the next request.
 */
export function readRequestBody (req: IncomingMessage, limitBytes: number, done: BodyCallback): void {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase()
  let inflater: zlib.Gunzip | zlib.Inflate | null = null
  let declaredLength: number | null = null
  if (encoding === 'identity') {
    const header = req.headers['content-length']
    if (header !== undefined && !Number.isNaN(Number(header))) declaredLength = parseInt(header, 10)
    if (declaredLength !== null && declaredLength > limitBytes) return refuse(req, tooLarge(limitBytes), done)
  } else if (encoding === 'gzip' || encoding === 'deflate') {
    inflater = encoding === 'gzip' ? zlib.createGunzip() : zlib.createInflate()
    req.pipe(inflater)
  } else {
    return refuse(req, new UnsupportedMediaTypeError(`unsupported content encoding "${encoding}"`), done)
  }

  const source: Readable = inflater ?? req
  const chunks: Buffer[] = []
  let received = 0
  let finished = false

  const finish = (err: AppError | null): void => {
    if (finished) return
    finished = true
    source.removeListener('data', onData)
    source.removeListener('end', onEnd)
    source.removeListener('error', onSourceError)
    req.removeListener('close', onRequestClose)
    req.removeListener('error', onRequestError)
    if (inflater !== null) {
      req.unpipe(inflater)
      inflater.on('error', () => undefined)
      inflater.destroy()
    }
    // Whatever is left of the request is read and dropped, so the connection stays usable.
    if (!req.destroyed) req.resume()
    if (err !== null) return done(err)
    done(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received))
  }
  const onData = (chunk: Buffer): void => {
    received += chunk.length
    if (received > limitBytes) return finish(tooLarge(limitBytes))
    chunks.push(chunk)
  }
  const onEnd = (): void => {
    if (declaredLength !== null && received !== declaredLength) {
      return finish(new MalformedBodyError(`The body has ${received} bytes but its Content-Length says ${declaredLength}`))
    }
    finish(null)
  }
  const onSourceError = (err: Error): void => {
    if (inflater === null) return finish(aborted())
    finish(new MalformedBodyError(`The body could not be inflated as ${encoding}: ${err.message}`))
  }
  const onRequestClose = (): void => { if (!req.complete) finish(aborted()) }
  const onRequestError = (): void => finish(aborted())

  source.on('data', onData)
  source.on('end', onEnd)
  source.on('error', onSourceError)
  req.on('close', onRequestClose)
  if (inflater !== null) req.on('error', onRequestError)
}

function tooLarge (limitBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The body is larger than the ${limitBytes} bytes this hub accepts`)
}

function aborted (): MalformedBodyError {
  return new MalformedBodyError('The connection closed before the body was complete')
}

/** A refusal before anything was read: the body is discarded and the answer goes out at once. */
function refuse (req: IncomingMessage, err: AppError, done: BodyCallback): void {
  req.resume()
  done(err)
}
