/**
 * The PostgreSQL schema mirrors SQLite's: every table and column the SQLite store keeps exists
 * on PostgreSQL, so a copy between the two stores loses nothing. The differences are the ones
 * listed here, each for a reason.
 */
import Database from 'better-sqlite3'
import { migrate } from '../../src/store/sqlite/migrations'
import { usePostgresTestStore } from '../helpers/postgres-test-store'

const pg = usePostgresTestStore()

/** SQLite tables PostgreSQL does without, and why. */
const SQLITE_ONLY_TABLES: Record<string, string> = {
  directory_fts: 'FTS5 index: PostgreSQL generates directory_entries.search',
  directory_facets: 'facet pairs: PostgreSQL keeps them in directory_entries.facets',
  directory_entry_facets: 'facet pairs: PostgreSQL keeps them in directory_entries.facets',
  change_stamps: 'change stamps: PostgreSQL keeps none (its changeStamps answers new stamps on every call)'
}

/** Columns that differ, as table.column: why. */
const SQLITE_ONLY_COLUMNS: Record<string, string> = {
  'directory_entries.rowid': 'PostgreSQL names the key entry_key'
}
const POSTGRES_ONLY_COLUMNS = new Set([
  'agreement_parties.position', 'sync_documents.position', // SQLite orders by rowid
  'directory_entries.entry_key', 'directory_entries.facets', 'directory_entries.name', 'directory_entries.summary',
  'directory_entries.tags', 'directory_entries.services', 'directory_entries.place', 'directory_entries.search'
])

describe('PostgreSQL schema', () => {
  it('has every table and column of the SQLite store, but for the listed differences', async () => {
    const sqlite = new Database(':memory:')
    migrate(sqlite)
    const sqliteColumns = new Set<string>()
    const tables = sqlite.prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'directory_fts_%'").all().map(r => r.name)
    for (const table of tables) {
      if (table in SQLITE_ONLY_TABLES) continue
      for (const column of sqlite.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all()) sqliteColumns.add(`${table}.${column.name}`)
    }
    sqlite.close()
    const rows = (await pg.db().query<{ c: string }>(
      "SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public'")).rows
    const postgresColumns = new Set(rows.map(r => r.c))
    const missing = [...sqliteColumns].filter(c => !postgresColumns.has(c) && !(c in SQLITE_ONLY_COLUMNS)).sort()
    const extra = [...postgresColumns].filter(c => !sqliteColumns.has(c) && !POSTGRES_ONLY_COLUMNS.has(c)).sort()
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })
})
