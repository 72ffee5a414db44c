/**
 * Directory search on SQLite: FTS5 (bm25, weighted columns) for the words, EXISTS clauses on
 * the (facet, value) table for the filters, keyset pagination on the sort columns plus the id.
 */
import type Database from 'better-sqlite3'
import { ValidationError } from '../../errors/app-errors'
import { SEARCH_WEIGHTS } from '../../domain/directory/search-text'
import {
  DirectoryQuery, DirectoryResultPage, FACETS, FacetCount, FacetName, SearchPosition
} from '../ports/directory.port'
import { FACET_VALUE_SEPARATOR, facetKey, PAIR_SEPARATOR } from './facet-pairs'

interface SortColumn {
  expr: string
  descending: boolean
}

type SqlValue = string | number

/** Runs directory searches on the tables of migration 3. */
export class SqliteDirectorySearch {
  constructor (private readonly db: Database.Database) {}

  /**
   * One page of results with the total and every facet's counts. The total and the facets come
   * from one pass over the matching entries' facet pairs (directory_entry_facets), the filters
   * applied in memory: per facet, the entries that pass every other filter. Counting with one
   * SQL query per facet walked the facet index once per facet, with the full-text match run
   * again each time: seconds for a broad search over 100,000 entries (docs/performance.md).
   * The page itself is one query, the match driving the join (`CROSS JOIN` keeps it outermost).
   */
  search (query: DirectoryQuery): DirectoryResultPage {
    const match = query.terms.length ? matchExpression(query.terms) : null
    const filters = filterClauses(query.filters)
    const { total, facets } = this.countFacets(match, query.filters)

    const from = match
      ? `(SELECT rowid AS rid, bm25(directory_fts, ${SEARCH_WEIGHTS.join(', ')}) AS rank FROM directory_fts WHERE directory_fts MATCH ?) m CROSS JOIN directory_entries e ON e.rowid = m.rid`
      : 'directory_entries e'
    const columns = sortColumns(query.sort, Boolean(match))
    const where = filters.map(f => f.sql)
    const params: SqlValue[] = [...(match ? [match] : []), ...filters.flatMap(f => f.params)]
    if (query.after) {
      const keyset = keysetClause(columns, query.after)
      where.push(keyset.sql)
      params.push(...keyset.params)
    }
    const order = [...columns.map(c => `${c.expr} ${c.descending ? 'DESC' : 'ASC'}`), 'e.id ASC'].join(', ')
    const select = columns.map((c, i) => `${c.expr} AS k${i}`).join(', ')
    const rows = this.db.prepare<SqlValue[], Record<string, SqlValue>>(
      `SELECT e.id AS id, e.doc AS doc, ${select} FROM ${from}${whereSql(where)} ORDER BY ${order} LIMIT ?`
    ).all(...params, query.limit + 1)
    const more = rows.length > query.limit
    const page = more ? rows.slice(0, query.limit) : rows
    const last = page.at(-1)
    const next: SearchPosition | null = more && last
      ? { key: columns.map((_c, i) => last[`k${i}`]), id: String(last.id) }
      : null
    return { items: page.map(r => JSON.parse(String(r.doc))), total, facets, next }
  }

  /** The total and the facet counts (each facet counted with every filter but its own). */
  private countFacets (match: string | null, filters: DirectoryQuery['filters']): { total: number, facets: Record<FacetName, FacetCount[]> } {
    const rows = match
      ? this.db.prepare<[string], { pairs: string }>(
        'SELECT p.pairs AS pairs FROM (SELECT rowid AS rid FROM directory_fts WHERE directory_fts MATCH ?) m CROSS JOIN directory_entry_facets p ON p.entry_rowid = m.rid').iterate(match)
      : this.db.prepare<[], { pairs: string }>('SELECT pairs FROM directory_entry_facets').iterate()
    const wanted = FACETS.filter(f => filters[f] !== undefined).map(f => facetKey(f, filters[f] as string))
    const counts = new Map<string, number>()
    let total = 0
    for (const row of rows) {
      const keys = row.pairs.split(PAIR_SEPARATOR)
      // Which filter this entry fails: with none it counts everywhere, with one only in that facet.
      let failed: string | null = null
      let failures = 0
      for (const w of wanted) {
        if (keys.includes(w)) continue
        failures++
        failed = w.slice(0, w.indexOf(FACET_VALUE_SEPARATOR) + 1)
        if (failures > 1) break
      }
      if (failures > 1) continue
      if (failures === 0) total++
      for (const key of keys) {
        if (failed !== null && !key.startsWith(failed)) continue
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
    }
    const facets = Object.fromEntries(FACETS.map(f => [f, [] as FacetCount[]])) as Record<FacetName, FacetCount[]>
    for (const [key, count] of counts) {
      const cut = key.indexOf(FACET_VALUE_SEPARATOR)
      facets[key.slice(0, cut) as FacetName]?.push({ value: key.slice(cut + 1), count })
    }
    // As SQLite's BINARY collation orders text: by UTF-8 bytes.
    for (const f of FACETS) facets[f].sort((a, b) => b.count - a.count || Buffer.compare(Buffer.from(a.value), Buffer.from(b.value)))
    return { total, facets }
  }
}

/** Each word quoted (so nothing the visitor types is FTS5 syntax); all must match. */
function matchExpression (terms: string[]): string {
  return terms.map(t => `"${t.replace(/"/g, '""')}"`).join(' AND ')
}

function filterClauses (filters: DirectoryQuery['filters']): Array<{ facet: FacetName, sql: string, params: SqlValue[] }> {
  return FACETS.filter(f => filters[f] !== undefined).map(facet => ({
    facet,
    sql: 'EXISTS (SELECT 1 FROM directory_facets x WHERE x.entry_rowid = e.rowid AND x.facet = ? AND x.value = ?)',
    params: [facet, filters[facet] as string]
  }))
}

function whereSql (clauses: string[]): string {
  return clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''
}

/**
 * Relevance: bm25 rank (when there are words), then co-op clouds before imported entries, then
 * name. Name: A to Z. Updated: newest first. The id breaks every tie, so the order is total.
 */
function sortColumns (sort: DirectoryQuery['sort'], hasMatch: boolean): SortColumn[] {
  if (sort === 'name') return [{ expr: 'e.name_key', descending: false }]
  if (sort === 'updated') return [{ expr: 'e.updated_at', descending: true }]
  const columns: SortColumn[] = [{ expr: 'e.kind_rank', descending: false }, { expr: 'e.name_key', descending: false }]
  return hasMatch ? [{ expr: 'm.rank', descending: false }, ...columns] : columns
}

/** Rows strictly after `after` in the sort order: (a > x) OR (a = x AND b > y) … OR (all equal AND id > last id). */
function keysetClause (columns: SortColumn[], after: SearchPosition): { sql: string, params: SqlValue[] } {
  if (after.key.length !== columns.length) {
    throw new ValidationError('The cursor does not belong to this search order; start again from the first page', { cursor: 'does not match the sort' })
  }
  const all = [...columns, { expr: 'e.id', descending: false }]
  const values: SqlValue[] = [...after.key, after.id]
  const alternatives: string[] = []
  const params: SqlValue[] = []
  for (let i = 0; i < all.length; i++) {
    const parts: string[] = []
    for (let j = 0; j < i; j++) {
      parts.push(`${all[j].expr} = ?`)
      params.push(values[j])
    }
    parts.push(`${all[i].expr} ${all[i].descending ? '<' : '>'} ?`)
    params.push(values[i])
    alternatives.push(`(${parts.join(' AND ')})`)
  }
  return { sql: `(${alternatives.join(' OR ')})`, params }
}
