import { ErrorRequestHandler, RequestHandler } from 'express'
import {
  AppError, AuthenticationError, ConflictError, DomainBlockedError, RateLimitedError, ForbiddenAddressError, ForbiddenError, GoneError,
  MalformedBodyError, MethodNotAllowedError, NotFoundError, PayloadTooLargeError, RemoteError,
  SignatureError, UnprocessableError, UnsupportedMediaTypeError, ValidationError
} from '../errors/app-errors'
import type { Logger } from '../log/logger'

/** The one place where the hub's errors become HTTP statuses. */
export function statusFor (err: AppError): number {
  if (err instanceof ValidationError || err instanceof MalformedBodyError) return 400
  if (err instanceof ForbiddenAddressError) return 400
  if (err instanceof AuthenticationError || err instanceof SignatureError) return 401
  if (err instanceof ForbiddenError) return 403
  if (err instanceof DomainBlockedError) return 403
  if (err instanceof RateLimitedError) return 429
  if (err instanceof NotFoundError) return 404
  if (err instanceof MethodNotAllowedError) return 405
  if (err instanceof ConflictError) return 409
  if (err instanceof GoneError) return 410
  if (err instanceof PayloadTooLargeError) return 413
  if (err instanceof UnsupportedMediaTypeError) return 415
  if (err instanceof UnprocessableError) return 422
  if (err instanceof RemoteError) return 502
  return 500
}

/** Body-parser's own errors, turned into the hub's. */
function fromBodyParser (err: { type?: string, limit?: number, message?: string }): AppError | null {
  if (err.type === 'entity.too.large') return new PayloadTooLargeError(`The body is larger than the ${err.limit} bytes this hub accepts`)
  if (err.type === 'entity.parse.failed') return new MalformedBodyError(`The body is not valid JSON: ${err.message}`)
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return new UnsupportedMediaTypeError(err.message ?? 'Unsupported encoding')
  return null
}

/** Express error handler: every error becomes JSON `{error, message, fields?}`; 500s are logged, not explained. */
export function errorResponder (logger: Logger): ErrorRequestHandler {
  return (rawErr, req, res, _next) => {
    const err = rawErr instanceof AppError ? rawErr : fromBodyParser(rawErr ?? {}) ?? rawErr
    if (err instanceof AppError) {
      const status = statusFor(err)
      const body: Record<string, unknown> = { error: err.code, message: err.message }
      if (err instanceof ValidationError && err.fields) body.fields = err.fields
      if (status >= 500) logger.warn({ err: err.message, path: req.path }, 'request failed')
      else logger.debug({ status, path: req.path, message: err.message }, 'request refused')
      if (res.headersSent) return
      if (err instanceof RateLimitedError) res.set('Retry-After', String(err.retryAfterSeconds))
      res.status(status).json(body)
      return
    }
    logger.error({ err, method: req.method, path: req.path }, 'unexpected error')
    if (res.headersSent) return
    res.status(500).json({ error: 'internal_error', message: 'The hub failed to handle this request; the details are in its log' })
  }
}

/** The answer for a path nothing serves. */
export const notFoundResponder: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`Nothing is served at ${req.method} ${req.path}`))
}
