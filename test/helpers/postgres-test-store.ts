/**
 * One migrated PostgreSQL database per test file, reset to its freshly migrated state before
 * every test (tables emptied, the rows the migrations seed put back). Call at the top of a test
 * file: its hooks run before those of the contract suites the file registers.
 */
import { PostgresDatabase } from '../../src/store/postgres/postgres-database'
import { migratePostgres } from '../../src/store/postgres/migrations'
import { createTestDatabase, type TestDatabase } from './postgres-test-database'

/** The file's database: a pool on it (as one hub process), its URL, and more pools (more processes). */
export interface PostgresTestStore {
  db: () => PostgresDatabase
  url: () => string
  /** Another pool on the same database, closed after the file. */
  connect: () => PostgresDatabase
}

/** Registers the hooks; the accessors work inside tests and hooks. */
export function usePostgresTestStore (): PostgresTestStore {
  let database: TestDatabase | undefined
  let db: PostgresDatabase | undefined
  const extra: PostgresDatabase[] = []
  let seeded: Array<{ table: string, rows: unknown[] }> = []
  let tables: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase()
    db = new PostgresDatabase(database.url)
    await migratePostgres(db)
    tables = (await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")).rows.map(r => r.name)
    seeded = []
    for (const table of tables) {
      const rows = (await db.query(`SELECT * FROM ${table}`)).rows
      if (rows.length) seeded.push({ table, rows })
    }
  })

  beforeEach(async () => {
    const pool = db as PostgresDatabase
    await pool.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`)
    for (const { table, rows } of seeded) {
      await pool.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1)`, [JSON.stringify(rows)])
    }
  })

  afterAll(async () => {
    await Promise.all([db, ...extra].map(async p => await p?.close()))
    await database?.drop()
  })

  return {
    db: () => { if (!db) throw new Error('The test database is not ready'); return db },
    url: () => { if (!database) throw new Error('The test database is not ready'); return database.url },
    connect: () => {
      const pool = new PostgresDatabase((database as TestDatabase).url)
      extra.push(pool)
      return pool
    }
  }
}
