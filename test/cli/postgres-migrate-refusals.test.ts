import fs from 'fs'
import path from 'path'
import Database from 'better-sqlite3'
import { Client } from 'pg'
import { machineId } from '../../src/processes/process-identity'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { runCliCapturing, useCliDataDir } from '../helpers/cli-env'
import { freePort } from '../helpers/ports'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'

/**
 * What `ioocloud-hub migrate` refuses, each time with exit code 1, a message saying why, and
 * nothing changed: a PostgreSQL-to-PostgreSQL copy, a source that holds no hub, the source
 * itself as target, a store a live hub process is registered on; and it never prints a password.
 */
describe('migrate refusals', () => {
  let database: TestDatabase
  beforeEach(async () => { database = await createTestDatabase() })
  afterEach(async () => { await database.drop() })
  const dataDir = useCliDataDir()

  const hubFile = (): string => path.join(dataDir(), 'hub.sqlite')

  async function tablesIn (url: string): Promise<string[]> {
    const client = new Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).rows.map(r => r.name)
    } finally {
      await client.end()
    }
  }

  async function coopCount (url: string): Promise<number> {
    const client = new Client({ connectionString: url })
    await client.connect()
    try { return Number((await client.query('SELECT count(*) AS n FROM coops')).rows[0].n) } finally { await client.end() }
  }

  it('refuses a source that holds no hub, setting up no database and writing no file', async () => {
    const empty = await runCliCapturing('migrate', '--from', database.url, '--to', `sqlite:${path.join(dataDir(), 'copy.sqlite')}`)
    expect(empty).toEqual({ code: 1, output: expect.stringMatching(/^Error: postgres.* holds no hub \(it has no schema_migrations table\); --from must name a hub's store$/) })
    expect(await tablesIn(database.url)).toEqual([])
    expect(fs.readdirSync(dataDir())).toEqual([])

    const notes = path.join(dataDir(), 'notes.txt')
    fs.writeFileSync(notes, 'not a database, just words long enough to fill a header of a sqlite file')
    const notHub = await runCliCapturing('migrate', '--from', `sqlite:${notes}`, '--to', database.url)
    expect(notHub.code).toBe(1)
    expect(notHub.output).toMatch(/^Error: .*notes\.txt (is not a SQLite database|cannot be opened)/)
    expect(fs.readFileSync(notes, 'utf8')).toMatch(/^not a database/)
    expect(await tablesIn(database.url)).toEqual([])
  })

  it('refuses PostgreSQL to PostgreSQL, saying to use pg_dump and pg_restore, and sets up nothing', async () => {
    expect((await runCliCapturing('coop', 'create', 'alpha', '--name', 'Alpha')).code).toBe(0)
    expect((await runCliCapturing('migrate', '--to', database.url)).code).toBe(0)
    const other = await createTestDatabase()
    try {
      const pgToPg = await runCliCapturing('migrate', '--from', database.url, '--to', other.url)
      expect(pgToPg).toEqual({ code: 1, output: expect.stringMatching(/^Error: Copying one PostgreSQL database into another is not done by migrate: use pg_dump --format=custom and pg_restore --no-owner/) })
      expect(await tablesIn(other.url)).toEqual([])
    } finally {
      await other.drop()
    }
  })

  it('refuses the source itself as target, and replaces a PostgreSQL hub only with --force', async () => {
    expect((await runCliCapturing('coop', 'create', 'alpha', '--name', 'Alpha')).code).toBe(0)
    expect(await runCliCapturing('migrate', '--to', `sqlite:${hubFile()}`)).toEqual({ code: 1, output: `Error: The target is the source itself (${hubFile()})` })

    expect((await runCliCapturing('migrate', '--to', database.url)).code).toBe(0)
    expect((await runCliCapturing('coop', 'create', 'beta', '--name', 'Beta')).code).toBe(0)
    const refused = await runCliCapturing('migrate', '--to', database.url)
    expect(refused).toEqual({ code: 1, output: expect.stringMatching(/already holds a hub; choose an empty database, or add --force/) })
    expect(await coopCount(database.url)).toBe(1)
    const forced = await runCliCapturing('migrate', '--to', database.url, '--force')
    expect(forced.code).toBe(0)
    expect(forced.output).toMatch(/^coops +2 → +2 +ok$/m)
    expect(await coopCount(database.url)).toBe(2)
  })

  it('refuses while a live hub process is registered on the source or the target, not for a dead one', async () => {
    expect((await runCliCapturing('coop', 'create', 'alpha', '--name', 'Alpha')).code).toBe(0)
    const target = path.join(dataDir(), 'copy.sqlite')

    // This very process, registered as a hub on the source: its pid runs on this machine.
    const store = new SqliteStore(hubFile())
    await store.processes.register({ machine: machineId(), pid: process.pid })
    await store.close()
    const running = await runCliCapturing('migrate', '--to', `sqlite:${target}`)
    expect(running).toEqual({ code: 1, output: expect.stringMatching(new RegExp(`^Error: A hub process \\(pid ${process.pid}\\) is running on ${hubFile()}; stop every hub on it before migrating`)) })
    expect(fs.existsSync(target)).toBe(false)

    // A process on another machine counts as running while its heartbeat is fresh, as dead once
    // it is older than six beats (30 s at the default HUB_PROCESS_HEARTBEAT_MS).
    const db = new Database(hubFile())
    const register = (heartbeatMs: number): void => {
      db.prepare('DELETE FROM hub_processes').run()
      db.prepare('INSERT INTO hub_processes (id, machine, pid, started_at, heartbeat_ms) VALUES (?, ?, ?, ?, ?)')
        .run('db-host-2:4242:abc', 'db-host-2/pid:[1]', 4242, new Date(heartbeatMs).toISOString(), heartbeatMs)
    }
    try {
      register(Date.now() - 5_000)
      const remote = await runCliCapturing('migrate', '--to', database.url)
      expect(remote).toEqual({ code: 1, output: expect.stringMatching(/^Error: A hub process \(pid 4242 on db-host-2\/pid:\[1\]\) is running on /) })
      expect(await tablesIn(database.url)).toEqual([])
      register(Date.now() - 31_000)
      expect((await runCliCapturing('migrate', '--to', database.url)).code).toBe(0)
    } finally {
      db.close()
    }

    // The target too: a live hub registered on the PostgreSQL database that --force would replace.
    const client = new Client({ connectionString: database.url })
    await client.connect()
    try {
      await client.query('INSERT INTO hub_processes (id, machine, pid, started_at, heartbeat_ms) VALUES ($1, $2, $3, now(), $4)', ['db-host-3:7:x', 'db-host-3', 7, Date.now()])
    } finally {
      await client.end()
    }
    expect((await runCliCapturing('coop', 'create', 'beta', '--name', 'Beta')).code).toBe(0)
    const onTarget = await runCliCapturing('migrate', '--to', database.url, '--force')
    expect(onTarget).toEqual({ code: 1, output: expect.stringMatching(/^Error: A hub process \(pid 7 on db-host-3\) is running on postgres/) })
    expect(await coopCount(database.url)).toBe(1)
  })

  it('never prints the password of a PostgreSQL URL', async () => {
    expect((await runCliCapturing('coop', 'create', 'alpha', '--name', 'Alpha')).code).toBe(0)
    const unreachable = `postgres://hub:s3cret-Pw@127.0.0.1:${await freePort()}/hub`
    const down = await runCliCapturing('migrate', '--to', unreachable)
    expect(down.code).toBe(1)
    expect(down.output).toMatch(/^Error: Cannot read the PostgreSQL store postgres:\/\/hub:\*\*\*@127\.0\.0\.1:\d+\/hub: .*ECONNREFUSED/)
    const malformed = await runCliCapturing('migrate', '--to', 'postgresql://hub:s3cret-Pw@db.example.coop')
    expect(malformed).toEqual({ code: 1, output: expect.stringMatching(/^Error: --to must name the database the hub owns, .*got "postgresql:\/\/hub:\*\*\*@db\.example\.coop"$/) })
    const wrongPassword = new URL(database.url)
    wrongPassword.password = 's3cret-Pw'
    const denied = await runCliCapturing('migrate', '--to', wrongPassword.toString())
    expect(denied.code).toBe(1)
    expect(denied.output).toMatch(/password authentication failed/)
    for (const output of [down.output, malformed.output, denied.output]) expect(output).not.toContain('s3cret-Pw')
  })
})
