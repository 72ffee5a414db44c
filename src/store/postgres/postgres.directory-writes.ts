/**
 * The directory's writes on PostgreSQL, a few hundred rows a statement: an import of 100,000
 * records would otherwise be half a million round trips to the server. Each function runs
 * inside the caller's transaction (the directory's advisory lock held).
 */
import crypto from 'node:crypto'
import { ValidationError } from '../../errors/app-errors'
import { canonicalWebsite, entryIdFor } from '../../domain/directory/canonical-url'
import { facetValues } from '../../domain/directory/facets'
import { kindRank, mergeSources } from '../../domain/directory/merge'
import { searchTextOf } from '../../domain/directory/search-text'
import type { SourceEntry } from '../ports/directory.port'
import type { Queryable } from './postgres-database'
import { facetKey } from './postgres.directory.search'

/** Rows a statement: 500 records of 9 (sources) or 12 (entries) values, well under PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 500

/** A source record ready to store: the entry, its canonical website, its JSON text and that text's hash. */
export interface PreparedRecord {
  entry: SourceEntry
  canonical: string
  doc: string
  hash: string
}

/** Checks a record's website and computes what storing it needs; refuses a record with no usable website. */
export function prepareRecord (entry: SourceEntry): PreparedRecord {
  const canonical = canonicalWebsite(entry.website)
  if (!canonical) {
    throw new ValidationError(`Entry ${entry.sourceId} of ${entry.source} has no usable website ("${entry.website}")`, { website: 'must be a web address or a urn' })
  }
  const doc = JSON.stringify(entry)
  return { entry, canonical, doc, hash: crypto.createHash('sha256').update(doc).digest('hex') }
}

/** Inserts or replaces source records (clearing `gone_at`), `now` their retrieval time; no two may share (source, sourceId). */
export async function writeRecords (tx: Queryable, records: PreparedRecord[], now: string): Promise<void> {
  for (const chunk of chunks(records)) {
    const params: unknown[] = [now]
    const rows = chunk.map(r => {
      const at = params.length
      params.push(r.entry.source, r.entry.sourceId, r.entry.kind, r.canonical, r.doc, r.hash)
      return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $1, $1, NULL)`
    })
    await tx.query(`
      INSERT INTO directory_sources (source, source_id, kind, canonical, doc, hash, retrieved_at, seen_at, gone_at)
      VALUES ${rows.join(', ')}
      ON CONFLICT (source, source_id) DO UPDATE SET kind = excluded.kind, canonical = excluded.canonical, doc = excluded.doc,
        hash = excluded.hash, retrieved_at = excluded.retrieved_at, seen_at = excluded.seen_at, gone_at = NULL`, params)
  }
}

/** Marks records of `source` gone as of `now`. */
export async function markRecordsGone (tx: Queryable, source: string, sourceIds: string[], now: string): Promise<void> {
  for (const chunk of chunks(sourceIds)) {
    await tx.query('UPDATE directory_sources SET gone_at = $1 WHERE source = $2 AND source_id = ANY($3::text[])', [now, source, chunk])
  }
}

/**
 * Rebuilds the merged entries of these canonical websites from their live records, removing
 * those with none, and moves the directory's version on by the number of entries that changed.
 */
export async function remergeAll (tx: Queryable, canonicals: Iterable<string>): Promise<void> {
  let changed = 0
  for (const chunk of chunks([...new Set(canonicals)])) {
    const rows = (await tx.query<{ canonical: string, doc: SourceEntry, retrieved_at: string }>(`
      SELECT canonical, doc, retrieved_at FROM directory_sources WHERE canonical = ANY($1::text[]) AND gone_at IS NULL
      ORDER BY canonical, source COLLATE "C", source_id COLLATE "C"`, [chunk])).rows
    const live = new Map<string, Array<{ entry: SourceEntry, retrievedAt: string }>>()
    for (const row of rows) {
      const list = live.get(row.canonical) ?? []
      list.push({ entry: row.doc, retrievedAt: row.retrieved_at })
      live.set(row.canonical, list)
    }
    const empty = chunk.filter(c => !live.has(c))
    if (empty.length > 0) changed += (await tx.query('DELETE FROM directory_entries WHERE canonical = ANY($1::text[])', [empty])).rowCount ?? 0
    if (live.size > 0) changed += await upsertEntries(tx, live)
  }
  if (changed > 0) await tx.query('UPDATE directory_state SET version = version + $1 WHERE id = 1', [changed])
}

/** Writes merged entries; answers how many were added or differ from what was stored (an identical one is not rewritten). */
async function upsertEntries (tx: Queryable, live: Map<string, Array<{ entry: SourceEntry, retrievedAt: string }>>): Promise<number> {
  const params: unknown[] = []
  const rows: string[] = []
  for (const [canonical, sources] of live) {
    const entry = mergeSources(entryIdFor(canonical), sources)
    const text = searchTextOf(entry)
    const facets = facetValues(entry).map(([facet, value]) => facetKey(facet, value))
    const at = params.length
    params.push(entry.id, canonical, nameKey(entry.name), kindRank(entry), entry.updatedAt, JSON.stringify(entry), facets, text.name, text.summary, text.tags, text.services, text.place)
    rows.push(`(${Array.from({ length: 12 }, (_v, i) => `$${at + i + 1}`).join(', ')})`)
  }
  // jsonb keeps its own key order: the stored document is compared as a document, not as text.
  const result = await tx.query(`
    INSERT INTO directory_entries (id, canonical, name_key, kind_rank, updated_at, doc, facets, name, summary, tags, services, place)
    VALUES ${rows.join(', ')}
    ON CONFLICT (canonical) DO UPDATE SET id = excluded.id, name_key = excluded.name_key, kind_rank = excluded.kind_rank,
      updated_at = excluded.updated_at, doc = excluded.doc, facets = excluded.facets, name = excluded.name, summary = excluded.summary,
      tags = excluded.tags, services = excluded.services, place = excluded.place
    WHERE directory_entries.doc IS DISTINCT FROM excluded.doc
    RETURNING 1`, params)
  return result.rowCount ?? 0
}

function chunks<T> (items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT))
  return out
}

/** The key names sort by: case- and accent-insensitive (as on SQLite). */
function nameKey (name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim()
}
