import { ValidationError } from '../errors/app-errors'

const LOCAL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/

/**
 * The IRIs an `:id` path parameter may name. It is either a URL-encoded absolute IRI (any hub's
 * pool, pledge or agreement) or a short local id: the last segment of one of this hub's object
 * (`/o/…`) or activity (`/s/…`) IRIs, tried in that order.
 */
export function idCandidates (param: string, hubUrl: string): string[] {
  if (/^https?:\/\//i.test(param)) {
    try {
      return [new URL(param).href]
    } catch { /* falls through to the error */ }
  }
  if (LOCAL_ID.test(param)) return [`${hubUrl}/o/${param}`, `${hubUrl}/s/${param}`]
  throw new ValidationError('The id in the path must be a short local id (letters and digits, e.g. 3f2a…) or a URL-encoded http(s) IRI', { id: 'is neither a local id nor an IRI' })
}
