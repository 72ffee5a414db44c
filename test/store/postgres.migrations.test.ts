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

  it('brings a store written before paged audiences up to date: delivery targets of cached actors and of followers\' rows, kept counts, copies of pools', async () => {
    const db = new PostgresDatabase(database.url)
    try {
      await migratePostgres(db, postgresMigrations.filter(m => m.version < 8))
      const shared = { id: 'https://a.test/u/f1', type: 'Person', inbox: ['https://a.test/u/f1/inbox'], endpoints: [{ sharedInbox: ['https://a.test/inbox'] }] }
      const own = { id: 'https://b.test/u/f2', type: 'Person', inbox: 'https://b.test/u/f2/inbox' }
      await db.query("INSERT INTO objects (id, type, doc) VALUES ($1, 'Person', $2), ($3, 'Person', $4), ('https://c.test/o/1', 'Note', '{\"id\": \"https://c.test/o/1\"}')",
        [shared.id, JSON.stringify(shared), own.id, JSON.stringify(own)])
      await db.query("INSERT INTO streams (id, doc, actor_id) VALUES ('https://h.test/s/1', '{}', $1), ('https://h.test/s/2', '{}', $2)", [shared.id, own.id])
      await db.query("INSERT INTO stream_collections (collection, seq) SELECT 'https://h.test/u/a/followers', seq FROM streams")
      await db.query("INSERT INTO pools (id, steward_id, local, status, currency, doc, updated_at) VALUES ('https://r.test/p/1', 's', false, 'open', 'EUR', '{}', '2026-01-01T00:00:00.000Z'), ('https://h.test/p/2', 's', true, 'open', 'EUR', '{}', '2026-01-02T00:00:00.000Z')")

      expect(await migratePostgres(db)).toEqual([8, 9, 10, 11, 12, 13])
      // Each follower's row keeps its actor's delivery target (migration 10), and new rows take it too.
      const rowTargets = async (): Promise<unknown[]> => (await db.query('SELECT s.id, c.target FROM stream_collections c JOIN streams s ON s.seq = c.seq ORDER BY s.id')).rows
      expect(await rowTargets()).toEqual([{ id: 'https://h.test/s/1', target: 'https://a.test/inbox' }, { id: 'https://h.test/s/2', target: 'https://b.test/u/f2/inbox' }])
      const targets = (await db.query<{ id: string, delivery_target: string | null }>('SELECT id, delivery_target FROM objects ORDER BY id')).rows
      expect(targets).toEqual([
        { id: shared.id, delivery_target: 'https://a.test/inbox' }, { id: own.id, delivery_target: 'https://b.test/u/f2/inbox' }, { id: 'https://c.test/o/1', delivery_target: null }
      ])
      expect((await db.query('SELECT collection, total FROM collection_counts')).rows).toEqual([{ collection: 'https://h.test/u/a/followers', total: 2 }])
      // The trigger keeps the count from now on.
      await db.query("DELETE FROM streams WHERE id = 'https://h.test/s/1'")
      expect((await db.query('SELECT total FROM collection_counts')).rows).toEqual([{ total: 1 }])
      expect((await db.query('SELECT id, refreshed_at FROM pools ORDER BY id')).rows).toEqual([
        { id: 'https://h.test/p/2', refreshed_at: null }, { id: 'https://r.test/p/1', refreshed_at: '2026-01-01T00:00:00.000Z' }
      ])
      // An actor whose delivery target changes passes it to its remaining rows.
      await db.query("UPDATE objects SET delivery_target = 'https://b.test/inbox' WHERE id = $1", [own.id])
      expect(await rowTargets()).toEqual([{ id: 'https://h.test/s/2', target: 'https://b.test/inbox' }])
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
  it('defines hub_unaccent with a quoted body (PostgreSQL 13 has no RETURN body) that works under an empty search_path, as pg_restore sets', async () => {
    const db = new PostgresDatabase(database.url)
    try {
      await migratePostgres(db)
      // prosqlbody (PostgreSQL 14+) holds a RETURN body; read through jsonb so that PostgreSQL 13 answers too.
      const fn = (await db.query("SELECT to_jsonb(p) ->> 'prosqlbody' AS sqlbody, prosrc, provolatile, proparallel, proisstrict FROM pg_proc p WHERE proname = 'hub_unaccent'")).rows
      expect(fn).toHaveLength(1)
      expect(fn[0]).toMatchObject({ sqlbody: null, provolatile: 'i', proparallel: 's', proisstrict: true })
      expect(fn[0].prosrc).toMatch(/unaccent\(/)
      const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s
      await db.transaction(async tx => {
        await tx.query("SET LOCAL search_path = ''")
        expect((await tx.query(`SELECT "${schema}".hub_unaccent('Café Coopératif') AS t`)).rows[0].t).toBe('Cafe Cooperatif')
        await tx.query(`INSERT INTO "${schema}".directory_entries (id, canonical, name_key, kind_rank, updated_at, doc, name)
          VALUES ('e1', 'coop.example', 'cafe', 0, '2026-01-01', '{}', 'Crème Brûlée')`)
        expect((await tx.query(`SELECT search::text AS s FROM "${schema}".directory_entries`)).rows[0].s).toMatch(/'brule'/)
      })
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
