/**
 * Directory search on SQLite: FTS5 (bm25, weighted columns) for the words, EXISTS clauses on
 * the (facet, value) table for the filters, keyset pagination on the sort columns plus the id.
 */
import type Database from 'better-sqlite3'
import { ValidationError } from '../../errors/app-errors'
import { SEARCH_WEIGHTS } from '../../directory/search-text'
import {
  DirectoryQuery, DirectoryResultPage, FACETS, FacetCount, FacetName, SearchPosition
} from '../ports/directory.port'

interface SortColumn {
  expr: string
  descending: boolean
}

type SqlValue = string | number

/** Runs directory searches on the tables of migration 3. */
export class SqliteDirectorySearch {
  constructor (private readonly db: Database.Database) {}

  /** One page of results with the total and every facet's counts. */
  search (query: DirectoryQuery): DirectoryResultPage {
    const match = query.terms.length ? matchExpression(query.terms) : null
    const from = match
      ? `directory_entries e JOIN (SELECT rowid AS rid, bm25(directory_fts, ${SEARCH_WEIGHTS.join(', ')}) AS rank FROM directory_fts WHERE directory_fts MATCH ?) m ON m.rid = e.rowid`
      : 'directory_entries e'
    const fromParams: SqlValue[] = match ? [match] : []

    const filters = filterClauses(query.filters)
    const where = filters.map(f => f.sql)
    const whereParams = filters.flatMap(f => f.params)

    const total = this.db.prepare<SqlValue[], { n: number }>(`SELECT COUNT(*) AS n FROM ${from}${whereSql(where)}`)
      .get(...fromParams, ...whereParams)?.n ?? 0

    const columns = sortColumns(query.sort, Boolean(match))
    const pageWhere = [...where]
    const pageParams = [...whereParams]
    if (query.after) {
      const keyset = keysetClause(columns, query.after)
      pageWhere.push(keyset.sql)
      pageParams.push(...keyset.params)
    }
    const order = [...columns.map(c => `${c.expr} ${c.descending ? 'DESC' : 'ASC'}`), 'e.id ASC'].join(', ')
    const select = columns.map((c, i) => `${c.expr} AS k${i}`).join(', ')
    const rows = this.db.prepare<SqlValue[], Record<string, SqlValue>>(
      `SELECT e.id AS id, e.doc AS doc, ${select} FROM ${from}${whereSql(pageWhere)} ORDER BY ${order} LIMIT ?`
    ).all(...fromParams, ...pageParams, query.limit + 1)
    const more = rows.length > query.limit
    const page = more ? rows.slice(0, query.limit) : rows
    const last = page.at(-1)
    const next: SearchPosition | null = more && last
      ? { key: columns.map((_c, i) => last[`k${i}`]), id: String(last.id) }
      : null

    const facets = {} as Record<FacetName, FacetCount[]>
    for (const facet of FACETS) {
      const others = filters.filter(f => f.facet !== facet)
      facets[facet] = this.db.prepare<SqlValue[], FacetCount>(`
        SELECT f.value AS value, COUNT(*) AS count FROM ${from} JOIN directory_facets f ON f.entry_rowid = e.rowid
        WHERE f.facet = ?${others.map(o => ` AND ${o.sql}`).join('')}
        GROUP BY f.value ORDER BY count DESC, f.value ASC`
      ).all(...fromParams, facet, ...others.flatMap(o => o.params))
    }
    return { items: page.map(r => JSON.parse(String(r.doc))), total, facets, next }
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
