import fs from 'fs'
import path from 'path'
import { Client } from 'pg'
import { freePort } from '../helpers/ports'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'
import { runCliCapturing, useCliDataDir } from '../helpers/cli-env'

/**
 * The CLI with HUB_DATABASE_URL set: commands work on the PostgreSQL store (no SQLite file in
 * DATA_DIR); backup and restore, which work on the SQLite file, refuse and point at pg_dump,
 * changing nothing; migrate copies the PostgreSQL store to a SQLite file.
 */
describe('the CLI on a PostgreSQL store', () => {
  let database: TestDatabase
  beforeAll(async () => { database = await createTestDatabase() })
  afterAll(async () => { await database?.drop() })
  const dataDir = useCliDataDir()
  beforeEach(() => { process.env.HUB_DATABASE_URL = database.url })

  it('creates and lists co-ops in PostgreSQL and creates no SQLite database', async () => {
    const created = await runCliCapturing('coop', 'create', 'alpha', '--name', 'Alpha Co-op')
    expect(created.code).toBe(0)
    expect(created.output).toContain('Created co-op alpha')
    const listed = await runCliCapturing('coop', 'list')
    expect(listed).toMatchObject({ code: 0 })
    expect(listed.output).toContain('alpha\tAlpha Co-op')
    expect(fs.readdirSync(dataDir()).filter(f => f.startsWith('hub.sqlite'))).toEqual([])

    const client = new Client({ connectionString: database.url })
    await client.connect()
    try {
      const rows = (await client.query('SELECT username FROM coops')).rows
      expect(rows).toEqual([{ username: 'alpha' }])
    } finally {
      await client.end()
    }
  })

  it('refuses backup and restore, pointing at pg_dump, and writes nothing; migrate copies the store to SQLite', async () => {
    const target = path.join(dataDir(), 'snapshot.sqlite')
    const backup = await runCliCapturing('backup', target)
    expect(backup.code).toBe(1)
    expect(backup.output).toMatch(/^Error: ioocloud-hub backup works on the SQLite database in DATA_DIR, but HUB_DATABASE_URL .*pg_dump.*docs\/scaling\.md/)
    expect(fs.existsSync(target)).toBe(false)

    fs.writeFileSync(target, 'not read')
    const restore = await runCliCapturing('restore', target)
    expect(restore.code).toBe(1)
    expect(restore.output).toMatch(/^Error: ioocloud-hub restore .*pg_restore/)

    expect(fs.readdirSync(dataDir()).sort()).toEqual(['snapshot.sqlite'])

    // migrate reads the configured store (HUB_DATABASE_URL) and writes the SQLite file it is given.
    const migrate = await runCliCapturing('migrate', '--to', `sqlite:${path.join(dataDir(), 'copy.sqlite')}`)
    expect(migrate.code).toBe(0)
    expect(migrate.output).toMatch(/^coops +1 → +1 +ok$/m)
    expect(migrate.output).toMatch(/; every count matches\.$/)
    expect(fs.readdirSync(dataDir()).sort()).toEqual(['copy.sqlite', 'snapshot.sqlite'])
  })

  it('says so when the database cannot be reached', async () => {
    process.env.HUB_DATABASE_URL = `postgres://hub:secret@127.0.0.1:${await freePort()}/hub`
    const result = await runCliCapturing('coop', 'list')
    expect(result.code).toBe(1)
    expect(result.output).toMatch(/^Error: cannot open the hub's store: .*ECONNREFUSED/)
    expect(result.output).not.toContain('secret')
  })
})
