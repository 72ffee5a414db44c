/**
 * The hub's typed errors. They say what went wrong in words a person can act on; which HTTP
 * status each one becomes is decided in one place, `src/api/error-response.ts`.
 */

/** Base of every error the hub raises on purpose. `code` is stable and machine-readable. */
export abstract class AppError extends Error {
  abstract readonly code: string
}

/** One field of a request body and what is wrong with it. */
export type FieldErrors = Record<string, string>

/** The request body or query does not have the expected shape. */
export class ValidationError extends AppError {
  readonly code = 'invalid_request'
  constructor (message: string, readonly fields?: FieldErrors) { super(message) }
}

/** The body could not be parsed at all (malformed JSON, nested too deep). */
export class MalformedBodyError extends AppError {
  readonly code = 'malformed_body'
}

/** No credentials, or credentials the hub does not know. */
export class AuthenticationError extends AppError {
  readonly code = 'unauthenticated'
}

/** An inbox request whose HTTP signature, Digest or Date does not hold. */
export class SignatureError extends AppError {
  readonly code = 'invalid_signature'
}

/** Valid credentials that do not allow this action. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden'
}

/** The named thing does not exist here. */
export class NotFoundError extends AppError {
  readonly code = 'not_found'
}

/** The thing already exists or is in a state that forbids the change. */
export class ConflictError extends AppError {
  readonly code = 'conflict'
}

/** The body is larger than the configured limit. */
export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large'
}

/** The body's media type is not one this endpoint reads. */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type'
}

/** An address the hub refuses to contact (loopback, private, link-local) or cannot parse. */
export class ForbiddenAddressError extends AppError {
  readonly code = 'forbidden_address'
}

/** A well-formed request the hub can already see would be refused (e.g. a pledge to a closed pool). */
export class UnprocessableError extends AppError {
  readonly code = 'refused'
}

/** A remote server did not answer as expected (network error, bad status, bad document). */
export class RemoteError extends AppError {
  readonly code = 'remote_error'
}

/** The thing existed and was deleted (a Tombstone). */
export class GoneError extends AppError {
  readonly code = 'gone'
}

/** The endpoint exists but not for this method. */
export class MethodNotAllowedError extends AppError {
  readonly code = 'method_not_allowed'
}

/** A request from, or to, a domain the hub admin blocked. */
export class DomainBlockedError extends AppError {
  readonly code = 'domain_blocked'
}

/** A remote host sent more requests than the hub accepts; it may try again after `retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  readonly code = 'rate_limited'
  constructor (message: string, readonly retryAfterSeconds: number) { super(message) }
}
