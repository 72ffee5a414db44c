/**
 * Copies a hub's PostgreSQL store into a new SQLite file: every table the SQLite store has but
 * the process registry. The PostgreSQL side is read in one REPEATABLE READ transaction (one
 * moment, while hubs keep writing to it) through a cursor, 500 rows at a time, so memory stays
 * bounded whatever the tables' sizes; the SQLite file is written in one transaction, its
 * directory indexes (facet pairs, full-text) rebuilt from the entries, and the row counts of
 * both sides compared table by table.
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { ConflictError } from '../../errors/app-errors'
import { facetValues } from '../../domain/directory/facets'
import { searchTextOf } from '../../domain/directory/search-text'
import type { DirectoryEntry } from '../ports/directory.port'
import { migratePostgres } from '../postgres/migrations'
import { PostgresDatabase } from '../postgres/postgres-database'
import { encodeFacetPairs } from '../sqlite/facet-pairs'
import { SqliteStore } from '../sqlite/sqlite.store'
import { copiedTables } from './hub-database'
import { LOCAL_KEYS_CHECK, postgresLocalKeys, sqliteLocalKeys } from './local-keys-check'
import type { RowProgress, TableCount } from './store-copy'

/** SQLite tables rebuilt from directory_entries rather than read from PostgreSQL. */
const REBUILT = ['directory_fts', 'directory_facets', 'directory_entry_facets']

/** Tables PostgreSQL keeps in `position` order, which SQLite keeps as the rowid order. */
const ORDERED_BY: Record<string, string> = { agreement_parties: 'agreement_id, position', sync_documents: 'source_id, position' }

/** Rows read from PostgreSQL at a time. */
const BATCH = 500

type Row = Record<string, unknown>

/** Copies the PostgreSQL store at `url` into a new SQLite file `target`; answers the per-table counts. */
export async function copyPostgresToSqlite (url: string, target: string, options: { force?: boolean, onProgress?: (p: RowProgress) => void } = {}): Promise<TableCount[]> {
  if (fs.existsSync(target)) {
    if (!options.force) throw new ConflictError(`${target} already exists; choose a new file, or add --force to replace it`)
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true })
  }
  await new SqliteStore(target).close()
  const from = new PostgresDatabase(url, { max: 1 })
  const to = new Database(target, { fileMustExist: true })
  try {
    await migratePostgres(from)
    to.pragma('foreign_keys = OFF')
    const tables = copiedTables(to).filter(t => !REBUILT.includes(t))
    return await from.transaction(async tx => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const counts: Record<string, number> = {}
      for (const table of tables) counts[table] = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n
      const keys = await postgresLocalKeys(tx)
      const total = Object.values(counts).reduce((a, b) => a + b, 0)
      let done = 0
      if (to.inTransaction) to.exec('ROLLBACK') // a retried snapshot starts the file over
      to.exec('BEGIN')
      // The new file's seeded rows (the directory's version, the default source) come from the copy.
      for (const table of copiedTables(to)) to.prepare(`DELETE FROM "${table}"`).run()
      for (const table of tables) {
        const json = new Set((await tx.query<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'jsonb'`, [table])).rows.map(r => r.name))
        // Rows a trigger wrote while earlier tables were copied (collection counts) give way to the source's.
        to.prepare(`DELETE FROM "${table}"`).run()
        const insert = rowInserter(to, table, json)
        // A cursor in the snapshot's transaction: a batch of rows in memory at a time, whatever the table's size.
        await tx.query(`DECLARE copied_rows NO SCROLL CURSOR FOR SELECT * FROM ${table} ORDER BY ${ORDERED_BY[table] ?? 1}`)
        for (;;) {
          const rows = (await tx.query<Row>(`FETCH ${BATCH} FROM copied_rows`)).rows
          for (const row of rows) insert(row)
          done += rows.length
          if (rows.length > 0) options.onProgress?.({ done, total, table })
          if (rows.length < BATCH) break
        }
        await tx.query('CLOSE copied_rows')
        options.onProgress?.({ done, total, table })
      }
      rebuildDirectoryIndexes(to)
      // AUTOINCREMENT counters: new rows never reuse a copied id.
      to.prepare('DELETE FROM sqlite_sequence').run()
      for (const { name } of to.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'").all()) {
        const key = name === 'streams' ? 'seq' : 'id'
        to.prepare(`INSERT INTO sqlite_sequence (name, seq) SELECT ?, COALESCE(MAX("${key}"), 0) FROM "${name}"`).run(name)
      }
      to.exec('COMMIT')
      const copied: Record<string, number> = {}
      for (const table of tables) copied[table] = (to.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n
      return [...tables.map(table => ({ table, source: counts[table], target: copied[table] })),
        { table: LOCAL_KEYS_CHECK, source: keys, target: sqliteLocalKeys(to), check: true as const }]
    })
  } finally {
    if (to.inTransaction) to.exec('ROLLBACK')
    to.close()
    await from.close()
  }
}

/** Writes one PostgreSQL row into the SQLite table: jsonb as JSON text, booleans as 0/1, the entry's key as its rowid. */
function rowInserter (db: Database.Database, table: string, json: Set<string>): (row: Row) => void {
  const columns = sqliteColumns(db, table)
  const insert = db.prepare(`INSERT INTO "${table}" (${columns.map(c => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
  const value = (row: Row, column: string): unknown => {
    const v = table === 'directory_entries' && column === 'rowid' ? row.entry_key : row[column]
    if (v === null || v === undefined) return null
    if (json.has(column)) return JSON.stringify(v)
    return typeof v === 'boolean' ? (v ? 1 : 0) : v
  }
  return row => { insert.run(...columns.map(c => value(row, c))) }
}

function sqliteColumns (db: Database.Database, table: string): string[] {
  return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map(c => c.name)
}

/** The directory's facet rows and full-text index, from the copied entries (as the SQLite store writes them). */
function rebuildDirectoryIndexes (db: Database.Database): void {
  const facet = db.prepare('INSERT INTO directory_facets (facet, value, entry_rowid) VALUES (?, ?, ?)')
  const pairs = db.prepare('INSERT INTO directory_entry_facets (entry_rowid, pairs) VALUES (?, ?)')
  const fts = db.prepare('INSERT INTO directory_fts (rowid, name, summary, tags, services, place) VALUES (?, ?, ?, ?, ?, ?)')
  for (const row of db.prepare<[], { rowid: number, doc: string }>('SELECT rowid, doc FROM directory_entries').all()) {
    const entry = JSON.parse(row.doc) as DirectoryEntry
    const values = facetValues(entry)
    for (const [name, value] of values) facet.run(name, value, row.rowid)
    pairs.run(row.rowid, encodeFacetPairs(values))
    const text = searchTextOf(entry)
    fts.run(row.rowid, text.name, text.summary, text.tags, text.services, text.place)
  }
}
