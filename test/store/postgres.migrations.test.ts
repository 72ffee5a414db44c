import { Client } from 'pg'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database'
import { migratePostgres, postgresMigrations } from '../../src/store/postgres/migrations'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'

describe('PostgreSQL migrations', () => {
  let database: TestDatabase
  beforeEach(async () => { database = await createTestDatabase() })
  afterEach(async () => { await database.drop() })

  it('applies every migration once when several processes start at the same moment, as a role that only owns the database', async () => {
    const processes = [0, 1, 2].map(() => new PostgresDatabase(database.url, { max: 2 }))
    try {
      const applied = await Promise.all(processes.map(async p => await migratePostgres(p)))
      const all = postgresMigrations.map(m => m.version)
      expect(applied.flat().sort((a, b) => a - b)).toEqual(all)
      const rows = (await processes[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows
      expect(rows.map(r => r.version)).toEqual(all)
      expect(await migratePostgres(processes[1])).toEqual([])
      const role = (await processes[0].query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]
      if (!process.env.HUB_TEST_DATABASE_URL) expect(role.rolsuper).toBe(false)
      // The hub created unaccent itself.
      expect((await processes[0].query('SELECT 1 FROM pg_extension WHERE extname = $1', ['unaccent'])).rowCount).toBe(1)
    } finally {
      await Promise.all(processes.map(async p => await p.close()))
    }
  })

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const db = new PostgresDatabase(database.url)
    try {
      const broken = { version: 99, name: 'broken', up: async (q: { query: (sql: string) => Promise<unknown> }) => { await q.query('CREATE TABLE half_done (x int)'); await q.query('SELECT no_such_column FROM half_done') } }
      await expect(migratePostgres(db, [...postgresMigrations, broken])).rejects.toThrow(/no_such_column/)
      expect((await db.query('SELECT 1 FROM schema_migrations WHERE version = 99')).rowCount).toBe(0)
      expect((await db.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull()
      expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(postgresMigrations.length)
    } finally {
      await db.close()
    }
  })

  it('reads the unaccented, stemmed words of a directory entry into its generated search vector', async () => {
    const db = new PostgresDatabase(database.url)
    try {
      await migratePostgres(db)
      await db.query(`INSERT INTO directory_entries (id, canonical, name_key, kind_rank, updated_at, doc, name, summary)
        VALUES ('e1', 'coop.example', 'cafe', 0, '2026-01-01', '{}', 'Café Coopératif', 'hosting clouds')`)
      const hit = async (q: string): Promise<number> => (await db.query("SELECT id FROM directory_entries WHERE search @@ websearch_to_tsquery('hub_search', hub_unaccent($1))", [q])).rowCount ?? 0
      expect(await hit('cafe')).toBe(1)
      expect(await hit('cooperatif cloud')).toBe(1)
      expect(await hit('mastodon')).toBe(0)
    } finally {
      await db.close()
    }
  })
})

describe('the test server', () => {
  it('hands each test file a database owned by a role that cannot create databases', async () => {
    const database = await createTestDatabase()
    const client = new Client({ connectionString: database.url })
    await client.connect()
    try {
      const row = (await client.query('SELECT d.datdba::regrole::text AS owner, current_user AS me, r.rolcreatedb FROM pg_database d, pg_roles r WHERE d.datname = current_database() AND r.rolname = current_user')).rows[0]
      expect(row.owner).toBe(row.me)
      if (!process.env.HUB_TEST_DATABASE_URL) expect(row.rolcreatedb).toBe(false)
    } finally {
      await client.end()
      await database.drop()
    }
  })
})
