import { SourceFormatError } from '../source-error'
import type { SourceDocument } from '../source-adapter'

/** Parses a JSON document; a truncated or non-JSON body throws SourceFormatError saying where. */
export function parseJson (document: SourceDocument): unknown {
  try {
    return JSON.parse(document.body)
  } catch (err) {
    const looksHtml = /^\s*</.test(document.body)
    throw new SourceFormatError(`${document.url} is not valid JSON${looksHtml ? ' (it looks like an HTML page)' : ''}: ${(err as Error).message}`)
  }
}

/** True for a plain object (not an array, not null). */
export function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Media types a JSON document may come as (GitHub raw and some servers say text/plain). */
export const JSON_TYPES = ['application/json', 'text/json', 'application/ld+json', 'application/geo+json', 'application/vnd.geo+json', 'text/plain'] as const
export const ACCEPT_JSON = 'application/json, application/*+json;q=0.9, text/plain;q=0.5'
