/**
 * Copies a hub's SQLite store into a PostgreSQL database it owns: every table but the running
 * processes' registry and SQLite's own search indexes (PostgreSQL builds its own from the
 * entries). The source is read in one transaction (one moment, while hubs keep writing to it);
 * the target is written in one transaction, its sequences moved past the copied ids, and the row
 * counts of both sides compared table by table.
 */
import Database from 'better-sqlite3'
import { ConflictError } from '../../errors/app-errors'
import { facetValues } from '../../domain/directory/facets'
import { searchTextOf } from '../../domain/directory/search-text'
import type { DirectoryEntry } from '../ports/directory.port'
import { migratePostgres } from '../postgres/migrations'
import { PostgresDatabase, type Queryable } from '../postgres/postgres-database'
import { facetKey } from '../postgres/postgres.directory.search'
import { SqliteStore } from '../sqlite/sqlite.store'
import { copiedTables, countRows } from './hub-database'
import { LOCAL_KEYS_CHECK, postgresLocalKeys, sqliteLocalKeys } from './local-keys-check'
import type { RowProgress, TableCount } from './store-copy'

/** SQLite tables PostgreSQL does without: its directory keeps facets and search text in directory_entries. */
const NOT_COPIED = ['directory_fts', 'directory_facets', 'directory_entry_facets']

/** Tables whose order SQLite keeps in rowids and PostgreSQL in a `position` column, per parent. */
const POSITIONED: Record<string, string> = { agreement_parties: 'agreement_id', sync_documents: 'source_id' }

const BATCH = 500

type Row = Record<string, unknown>

/** Copies the SQLite store in `source` into the PostgreSQL database at `url`; answers the per-table counts. */
export async function copySqliteToPostgres (source: string, url: string, options: { force?: boolean, onProgress?: (p: RowProgress) => void } = {}): Promise<TableCount[]> {
  await new SqliteStore(source).close() // the source at this hub's schema
  const from = new Database(source, { fileMustExist: true, readonly: true })
  const to = new PostgresDatabase(url, { max: 1 })
  try {
    await migratePostgres(to)
    from.pragma('busy_timeout = 5000')
    from.exec('BEGIN')
    try {
      const tables = copiedTables(from).filter(t => !NOT_COPIED.includes(t))
      const counts = countRows(from, tables)
      const keys = sqliteLocalKeys(from)
      const total = Object.values(counts).reduce((a, b) => a + b, 0)
      let done = 0
      await to.transaction(async tx => {
        if (!options.force && await holdsHubData(tx)) {
          throw new ConflictError('The PostgreSQL database already holds a hub; choose an empty database, or add --force to replace what it holds')
        }
        const targetTables = (await tx.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")).rows.map(r => r.name)
        await tx.query(`TRUNCATE ${targetTables.join(', ')} RESTART IDENTITY CASCADE`)
        // Deferred triggers (a collection's count) fire as each row is copied, not at the commit,
        // so the copied counts below replace what they wrote instead of being added to at the end.
        await tx.query('SET CONSTRAINTS ALL IMMEDIATE')
        for (const table of tables) {
          const columns = await writableColumns(tx, table)
          // Rows a trigger wrote while earlier tables were copied (collection counts) give way to the source's.
          await tx.query(`DELETE FROM ${table}`)
          let batch: Row[] = []
          const flush = async (): Promise<void> => {
            if (batch.length === 0) return
            const names = Object.keys(batch[0]).map(c => `"${c}"`).join(', ')
            await tx.query(`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1)`, [JSON.stringify(batch)])
            done += batch.length
            batch = []
            options.onProgress?.({ done, total, table })
          }
          const positions = new Map<unknown, number>()
          const read = withoutRowid(from, table) ? `SELECT * FROM "${table}"` : `SELECT rowid AS "__rowid", * FROM "${table}" ORDER BY rowid`
          for (const raw of from.prepare(read).iterate() as Iterable<Row>) {
            const row = convert(table, raw, columns)
            const parent = POSITIONED[table]
            if (parent !== undefined) {
              const position = positions.get(raw[parent]) ?? 0
              positions.set(raw[parent], position + 1)
              row.position = position
            }
            batch.push(row)
            if (batch.length === BATCH) await flush()
          }
          await flush()
          options.onProgress?.({ done, total, table })
        }
        // Serial ids: new rows never reuse a copied id.
        const serials = (await tx.query<{ t: string, c: string }>(`SELECT table_name AS t, column_name AS c FROM information_schema.columns
          WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`)).rows
        for (const { t, c } of serials) {
          await tx.query(`SELECT setval(pg_get_serial_sequence('${t}', '${c}'), COALESCE((SELECT max("${c}") FROM ${t}), 0) + 1, false)`)
        }
      })
      const copied: Record<string, number> = {}
      for (const table of tables) copied[table] = (await to.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n
      return [...tables.map(table => ({ table, source: counts[table], target: copied[table] })),
        { table: LOCAL_KEYS_CHECK, source: keys, target: await postgresLocalKeys(to), check: true as const }]
    } finally {
      from.exec('COMMIT')
    }
  } finally {
    from.close()
    await to.close()
  }
}

/** True for a table SQLite keeps WITHOUT ROWID (it has no rowid to read or order by). */
function withoutRowid (db: Database.Database, table: string): boolean {
  const sql = db.prepare<[string], { sql: string | null }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)?.sql ?? ''
  return /WITHOUT\s+ROWID\s*$/i.test(sql)
}

/** True when the database holds more than what the migrations seed (the directory's version, the default source). */
async function holdsHubData (tx: Queryable): Promise<boolean> {
  const tables = (await tx.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
    AND tablename NOT IN ('schema_migrations', 'directory_state', 'sync_sources')`)).rows.map(r => r.name)
  for (const table of tables) if ((await tx.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount) return true
  const sources = await tx.query("SELECT 1 FROM sync_sources WHERE id <> 'ioo' OR last_attempt_at IS NOT NULL")
  const version = await tx.query<{ version: number }>('SELECT version FROM directory_state')
  return Boolean(sources.rowCount) || (version.rows[0]?.version ?? 0) > 0
}

/** The target's columns a copy writes (not generated ones), with their types. */
async function writableColumns (tx: Queryable, table: string): Promise<Map<string, string>> {
  const rows = (await tx.query<{ name: string, type: string }>(`SELECT column_name AS name, data_type AS type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`, [table])).rows
  return new Map(rows.map(r => [r.name, r.type]))
}

/** A SQLite row as the PostgreSQL table takes it: flags as booleans, JSON text as values. */
function convert (table: string, raw: Row, columns: Map<string, string>): Row {
  const row: Row = {}
  for (const [name, value] of Object.entries(raw)) {
    const type = columns.get(name)
    if (type === undefined) continue
    if (value === null) row[name] = null
    else if (type === 'boolean') row[name] = value === 1 || value === true
    else if (type === 'jsonb') row[name] = JSON.parse(String(value))
    else row[name] = value
  }
  if (table === 'directory_entries') {
    // SQLite's rowid is the entry's key; facets and search text come from the entry itself.
    row.entry_key = raw.__rowid
    const entry = row.doc as DirectoryEntry
    Object.assign(row, searchTextOf(entry), { facets: facetValues(entry).map(([facet, value]) => facetKey(facet, value)) })
  }
  return row
}
