/**
 * A directory search as visitors ask for it (query-string parameters), checked and turned into
 * the store's query; and the opaque cursor that carries a page's position.
 */
import crypto from 'node:crypto'
import { FieldErrors, ValidationError } from '../errors/app-errors'
import {
  DirectoryQuery, DirectorySort, FACETS, FacetName, SearchPosition, SORTS
} from '../store/ports/directory.port'
import { searchTerms } from '../domain/directory/search-text'

/** A checked search: the words as typed, the filters, the order and the page. */
export interface SearchRequest {
  q: string
  filters: Partial<Record<FacetName, string>>
  sort: DirectorySort
  limit: number
  cursor?: string
}

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100

const ENUMS: Partial<Record<FacetName, readonly string[]>> = {
  access: ['public', 'members', 'agreement'],
  accepting: ['yes', 'no'],
  status: ['active', 'planned', 'paused', 'closed'],
  kind: ['coop-cloud', 'imported']
}
const KNOWN = new Set<string>(['q', 'sort', 'limit', 'cursor', ...FACETS])

/** Checks query-string parameters; every problem is reported at once as a 400. Empty values mean "any". */
export function parseSearchRequest (params: Record<string, unknown>): SearchRequest {
  const fields: FieldErrors = {}
  const value = (name: string): string | undefined => {
    const raw = params[name]
    if (raw === undefined) return undefined
    if (typeof raw !== 'string') {
      fields[name] = 'must be given once, as text'
      return undefined
    }
    const v = raw.trim()
    return v === '' ? undefined : v
  }
  for (const name of Object.keys(params)) {
    if (!KNOWN.has(name)) fields[name] = `is not a known parameter; use q, sort, limit, cursor or a filter (${FACETS.join(', ')})`
  }
  const q = value('q') ?? ''
  if (q.length > 200) fields.q = 'must be at most 200 characters'
  const filters: Partial<Record<FacetName, string>> = {}
  for (const facet of FACETS) {
    let v = value(facet)
    if (v === undefined) continue
    if (facet === 'country') v = v.toUpperCase()
    if (facet === 'language' || facet === 'software' || facet === 'category') v = v.toLowerCase()
    const allowed = ENUMS[facet]
    if (allowed && !allowed.includes(v)) fields[facet] = `must be one of: ${allowed.join(', ')}`
    else if (facet === 'country' && !/^[A-Z]{2}$/.test(v)) fields[facet] = 'must be a two-letter ISO 3166 country code, e.g. DE'
    else if (v.length > 200) fields[facet] = 'must be at most 200 characters'
    else filters[facet] = v
  }
  const sortRaw = value('sort') ?? 'relevance'
  const sort = (SORTS as readonly string[]).includes(sortRaw) ? sortRaw as DirectorySort : undefined
  if (!sort) fields.sort = `must be one of: ${SORTS.join(', ')}`
  const limitRaw = value('limit')
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw)
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) fields.limit = `must be a whole number from 1 to ${MAX_LIMIT}`
  const cursor = value('cursor')
  if (Object.keys(fields).length) {
    throw new ValidationError(`The search is not valid: ${Object.entries(fields).map(([f, m]) => `${f} ${m}`).join('; ')}`, fields)
  }
  return { q, filters, sort: sort as DirectorySort, limit, ...(cursor ? { cursor } : {}) }
}

/** The store's query for a request; the cursor must come from the same search. */
export function toDirectoryQuery (request: SearchRequest): DirectoryQuery {
  const query: DirectoryQuery = { terms: searchTerms(request.q), filters: request.filters, sort: request.sort, limit: request.limit }
  if (request.cursor) query.after = decodeCursor(request.cursor, request)
  return query
}

/** Which search a cursor belongs to: the words, filters and order, not the page size. */
function searchFingerprint (request: SearchRequest): string {
  const filters = FACETS.map(f => `${f}=${request.filters[f] ?? ''}`).join('&')
  return crypto.createHash('sha256').update(`${searchTerms(request.q).join(' ')}|${filters}|${request.sort}`).digest('base64url').slice(0, 12)
}

/** An opaque, URL-safe cursor for the page after `position`. */
export function encodeCursor (position: SearchPosition, request: SearchRequest): string {
  return Buffer.from(JSON.stringify({ s: searchFingerprint(request), k: position.key, i: position.id })).toString('base64url')
}

/** The position a cursor holds; 400 when it is malformed or from another search. */
export function decodeCursor (cursor: string, request: SearchRequest): SearchPosition {
  let data: unknown
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    data = null
  }
  const d = data as { s?: unknown, k?: unknown, i?: unknown } | null
  const valid = d !== null && typeof d === 'object' && typeof d.s === 'string' && typeof d.i === 'string' &&
    Array.isArray(d.k) && d.k.length <= 4 && d.k.every(v => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  if (!valid) throw new ValidationError('The cursor is not one this directory gave out; start again from the first page', { cursor: 'is malformed' })
  if (d.s !== searchFingerprint(request)) {
    throw new ValidationError('The cursor belongs to a different search (words, filters or order changed); start again from the first page', { cursor: 'belongs to another search' })
  }
  return { key: d.k as Array<string | number>, id: d.i as string }
}
