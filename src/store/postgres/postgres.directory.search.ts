/**
 * Directory search on PostgreSQL: the entries' generated tsvector (GIN) matched with
 * `websearch_to_tsquery`, every word quoted and all required; filters as containment in the
 * entries' facet array (GIN); keyset pagination on the sort columns plus the id. The semantics
 * are SQLite's (sqlite.directory.search.ts): the same sorts, ties, cursors and facet counts.
 */
import { ValidationError } from '../../errors/app-errors'
import {
  DirectoryQuery, DirectoryResultPage, FACETS, FacetCount, FacetName, SearchPosition
} from '../ports/directory.port'
import type { DirectoryEntry } from '../ports/directory.port'
import type { Queryable } from './postgres-database'

/** Separates a facet from its value in the entries' `facets` array (ASCII unit separator). */
export const FACET_SEPARATOR = '\u001f'

/** The key of one (facet, value) pair in the `facets` array. */
export function facetKey (facet: FacetName, value: string): string {
  return `${facet}${FACET_SEPARATOR}${value}`
}

/**
 * ts_rank weights for the D, C, B, A labels of migration 3 (place; summary; services; name and
 * tags), in the proportions of SQLite's bm25 column weights.
 */
const RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}'

interface SortColumn {
  expr: string
  descending: boolean
}

/** Runs one directory search. */
export async function searchDirectory (db: Queryable, query: DirectoryQuery): Promise<DirectoryResultPage> {
  const params: unknown[] = []
  const param = (value: unknown): string => { params.push(value); return `$${params.length}` }
  const words = query.terms.length ? wordsQuery(query.terms) : null
  const wanted = FACETS.filter(f => query.filters[f] !== undefined).map(f => facetKey(f, query.filters[f] as string))

  const tsquery = words ? `websearch_to_tsquery('hub_search', hub_unaccent(${param(words)}))` : null
  const where: string[] = []
  if (tsquery) where.push(`e.search @@ ${tsquery}`)
  if (wanted.length) where.push(`e.facets @> ${param(wanted)}::text[]`)
  const rank = tsquery ? `ts_rank('${RANK_WEIGHTS}', e.search, ${tsquery})::float8` : null
  const columns = sortColumns(query.sort, rank)
  if (query.after) where.push(keysetClause(columns, query.after, param))
  const order = [...columns.map(c => `${c.expr} ${c.descending ? 'DESC' : 'ASC'}`), 'e.id ASC'].join(', ')
  const select = columns.map((c, i) => `${c.expr} AS k${i}`).join(', ')
  const rows = (await db.query<Record<string, unknown>>(
    `SELECT e.id, e.doc, ${select} FROM directory_entries e${whereSql(where)} ORDER BY ${order} LIMIT ${param(query.limit + 1)}`, params)).rows
  const more = rows.length > query.limit
  const page = more ? rows.slice(0, query.limit) : rows
  const last = page.at(-1)
  const next: SearchPosition | null = more && last
    ? { key: columns.map((_c, i) => last[`k${i}`] as string | number), id: String(last.id) }
    : null
  const { total, facets } = await countFacets(db, words, wanted)
  return { items: page.map(r => r.doc as DirectoryEntry), total, facets, next }
}

/**
 * The total and every facet's counts in one pass over the matching entries: an entry that
 * misses no filter counts everywhere; one that misses exactly one counts only in that filter's
 * facet (each facet is counted with every filter but its own).
 */
async function countFacets (db: Queryable, words: string | null, wanted: string[]): Promise<{ total: number, facets: Record<FacetName, FacetCount[]> }> {
  const match = words ? "WHERE e.search @@ websearch_to_tsquery('hub_search', hub_unaccent($2))" : ''
  const rows = (await db.query<{ k: string | null, n: number }>(`
    WITH m AS (
      SELECT e.facets, ARRAY(SELECT w FROM unnest($1::text[]) w WHERE NOT (w = ANY (e.facets))) AS missing
      FROM directory_entries e ${match}
    ), kept AS (SELECT facets, missing FROM m WHERE cardinality(missing) <= 1)
    SELECT NULL AS k, count(*)::int AS n FROM kept WHERE cardinality(missing) = 0
    UNION ALL
    SELECT k, count(*)::int AS n FROM kept, unnest(kept.facets) k
    WHERE cardinality(missing) = 0 OR split_part(k, chr(31), 1) = split_part(missing[1], chr(31), 1)
    GROUP BY k`, words ? [wanted, words] : [wanted])).rows
  let total = 0
  const facets = Object.fromEntries(FACETS.map(f => [f, [] as FacetCount[]])) as Record<FacetName, FacetCount[]>
  for (const row of rows) {
    if (row.k === null) { total = row.n; continue }
    const cut = row.k.indexOf(FACET_SEPARATOR)
    facets[row.k.slice(0, cut) as FacetName]?.push({ value: row.k.slice(cut + 1), count: row.n })
  }
  // As the SQLite store orders them: by count, then by UTF-8 bytes.
  for (const f of FACETS) facets[f].sort((a, b) => b.count - a.count || Buffer.compare(Buffer.from(a.value), Buffer.from(b.value)))
  return { total, facets }
}

/** Each word quoted, so nothing the visitor types is search syntax (`or`, `-`); all must match. */
function wordsQuery (terms: string[]): string {
  return terms.map(t => `"${t.replace(/"/g, ' ')}"`).join(' ')
}

function whereSql (clauses: string[]): string {
  return clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''
}

/**
 * Relevance: rank (when there are words), then co-op clouds before imported entries, then name.
 * Name: A to Z. Updated: newest first. The id breaks every tie, so the order is total.
 */
function sortColumns (sort: DirectoryQuery['sort'], rank: string | null): SortColumn[] {
  if (sort === 'name') return [{ expr: 'e.name_key', descending: false }]
  if (sort === 'updated') return [{ expr: 'e.updated_at', descending: true }]
  const columns: SortColumn[] = [{ expr: 'e.kind_rank', descending: false }, { expr: 'e.name_key', descending: false }]
  return rank ? [{ expr: rank, descending: true }, ...columns] : columns
}

/** Rows strictly after `after` in the sort order: (a > x) OR (a = x AND b > y) … OR (all equal AND id > last id). */
function keysetClause (columns: SortColumn[], after: SearchPosition, param: (value: unknown) => string): string {
  if (after.key.length !== columns.length) {
    throw new ValidationError('The cursor does not belong to this search order; start again from the first page', { cursor: 'does not match the sort' })
  }
  const all = [...columns, { expr: 'e.id', descending: false }]
  const values: unknown[] = [...after.key, after.id]
  const alternatives: string[] = []
  for (let i = 0; i < all.length; i++) {
    const parts: string[] = []
    for (let j = 0; j < i; j++) parts.push(`${all[j].expr} = ${typed(values[j])}`)
    parts.push(`${all[i].expr} ${all[i].descending ? '<' : '>'} ${typed(values[i])}`)
    alternatives.push(`(${parts.join(' AND ')})`)
  }
  return `(${alternatives.join(' OR ')})`

  function typed (value: unknown): string {
    if (typeof value === 'number') return `${param(value)}::float8`
    if (typeof value === 'string') return `${param(value)}::text`
    throw new ValidationError('The cursor is not one this directory wrote; start again from the first page', { cursor: 'is malformed' })
  }
}
