import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { Client } from 'pg'
import { runCli } from '../../src/cli/main'
import { api, eventually, getActivityJson, type HubProcess, startHubProcess } from '../helpers/hub-process'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'

/**
 * `ioocloud-hub migrate` between real hub processes' stores: a SQLite hub with co-ops, services,
 * a pool, an agreement, directory entries and a follower on a second hub moves to PostgreSQL,
 * starts there under the same HUB_URL and still federates; moved back to a new SQLite file it
 * federates again. Every step's counts are checked against both stores.
 */
describe('migrate SQLite → PostgreSQL → SQLite with running hubs', () => {
  const dirs: string[] = []
  const tempDir = (): string => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-migrate-')); dirs.push(d); return d }
  const saved = { ...process.env }
  let database: TestDatabase
  let home: HubProcess | undefined
  let follower: HubProcess | undefined

  beforeAll(async () => { database = await createTestDatabase() })
  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log(`home:\n${home?.output() ?? ''}\nfollower:\n${follower?.output() ?? ''}`)
    await Promise.all([home?.stop(), follower?.stop()])
    await database?.drop()
    process.env = { ...saved }
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  })

  /** Runs the CLI in this process with a hub's environment (no HUB_DATABASE_URL: the stores are named by flags). */
  async function cli (dataDir: string, hubUrl: string, ...args: string[]): Promise<{ code: number, output: string }> {
    process.env.DATA_DIR = dataDir
    process.env.HUB_URL = hubUrl
    delete process.env.PORT
    delete process.env.HUB_DATABASE_URL
    const lines: string[] = []
    const code = await runCli(args, line => lines.push(line))
    return { code, output: lines.join('\n') }
  }

  /** The count table `migrate` printed: table (or check) → [source, target], each line marked ok. */
  function countTable (output: string): Record<string, [number, number]> {
    const rows = [...output.matchAll(/^(\w[\w ]*?) +(\d+) → +(\d+) +(ok|MISMATCH)$/gm)]
    expect(rows.filter(r => r[4] !== 'ok')).toEqual([])
    return Object.fromEntries(rows.map(r => [r[1], [Number(r[2]), Number(r[3])]]))
  }

  /** The count table without its check of local actors' keys, which it expects on both sides (the co-ops' actors). */
  function tablesOf (counts: Record<string, [number, number]>): Record<string, [number, number]> {
    const { 'local actors with a private key': keys, ...tables } = counts
    expect(keys[0]).toBeGreaterThanOrEqual(2)
    expect(keys[1]).toBe(keys[0])
    return tables
  }

  async function postgresCounts (tables: string[]): Promise<Record<string, number>> {
    const client = new Client({ connectionString: database.url })
    await client.connect()
    try {
      const counts: Record<string, number> = {}
      for (const t of tables) counts[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n)
      return counts
    } finally {
      await client.end()
    }
  }

  function sqliteCounts (file: string, tables: string[]): Record<string, number> {
    const db = new Database(file, { readonly: true })
    try {
      return Object.fromEntries(tables.map(t => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]))
    } finally {
      db.close()
    }
  }

  function recordedHubUrl (file: string): string | undefined {
    const db = new Database(file, { readonly: true })
    try { return (db.prepare("SELECT value FROM settings WHERE key = 'hub_url'").get() as { value: string } | undefined)?.value } finally { db.close() }
  }

  /** What a visitor and a sibling see of the home hub's data. */
  async function publicView (h: HubProcess): Promise<Record<string, unknown>> {
    const json = async (p: string): Promise<unknown> => (await api(h, 'GET', p)).json
    return {
      alpha: await getActivityJson(`${h.url}/u/alpha`),
      beta: await getActivityJson(`${h.url}/u/beta`),
      followers: await getActivityJson(`${h.url}/u/alpha/followers`),
      services: await json('/api/v1/services'),
      pools: await json('/api/v1/pools'),
      agreements: await json('/api/v1/agreements'),
      directory: await json('/api/v1/directory')
    }
  }

  it('keeps every record, the HUB_URL and federation across both moves', async () => {
    ;[home, follower] = await Promise.all([startHubProcess(), startHubProcess()])
    const h = home
    const f = follower
    const { url, port, adminToken } = h
    const alpha = (await api(h, 'POST', '/api/v1/coops', adminToken, { username: 'alpha', name: 'Alpha Co-op', summary: 'Files for the valley' })).json
    const beta = (await api(h, 'POST', '/api/v1/coops', adminToken, { username: 'beta', name: 'Beta Co-op' })).json
    const files = await api(h, 'PUT', '/api/v1/coops/alpha/services/files', alpha.token, { name: 'Alpha Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'agreement', software: 'Nextcloud' })
    expect(files.status).toBe(201)
    expect((await api(h, 'POST', '/api/v1/coops/alpha/pools', alpha.token, {
      name: 'Calendar sync', summary: 'Fund the CalDAV rewrite', beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' },
      goal: { value: '1000.00', currency: 'EUR' }, period: 'once', paymentLinks: [{ name: 'Open Collective', href: 'https://opencollective.com/example' }]
    })).status).toBe(201)
    expect((await api(h, 'POST', '/api/v1/coops/alpha/agreements', alpha.token, {
      parties: [beta.id], name: 'Alpha and Beta exchange', terms: 'Members of each may use the listed services of the other.',
      services: [{ service: files.json.id, quota: 50 }], startTime: new Date().toISOString(), endTime: new Date(Date.now() + 365 * 86_400_000).toISOString()
    })).status).toBe(201)

    // A co-op on the follower hub follows alpha and receives what alpha publishes.
    const fan = (await api(f, 'POST', '/api/v1/coops', f.adminToken, { username: 'fan', name: 'Fan Co-op' })).json
    expect((await api(f, 'POST', '/api/v1/coops/fan/follows', fan.token, { target: `alpha@127.0.0.1:${port}` })).status).toBe(202)
    await eventually(async () => (await api(f, 'GET', '/api/v1/coops/fan/follows', fan.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'alpha to accept the follow')
    const servicesOnFollower = async (): Promise<string[]> => ((await api(f, 'GET', '/api/v1/services')).json.items as Array<{ name: string }>).map(s => s.name).sort()
    expect((await api(h, 'PUT', '/api/v1/coops/alpha/services/mail', alpha.token, { name: 'Alpha Mail', category: 'email', url: 'https://mail.alpha.example', access: 'public' })).status).toBe(201)
    await eventually(async () => (await servicesOnFollower()).includes('Alpha Mail') ? true : undefined, 'the follower to list Alpha Mail')
    await eventually(async () => (await api(h, 'GET', '/api/v1/admin/deliveries', adminToken)).json.queued === 0 ? true : undefined, 'home to finish delivering')
    const before = await publicView(h)
    expect((before.directory as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(2)
    await h.stop()

    // SQLite → PostgreSQL: every count matches, in the CLI's table and in both stores.
    const sqliteFile = path.join(h.dataDir, 'hub.sqlite')
    const there = await cli(h.dataDir, url, 'migrate', '--to', database.url)
    expect(there.code).toBe(0)
    expect(there.output).toMatch(/; every count matches\.$/)
    expect(there.output).toContain(`The store records HUB_URL ${url}`)
    const password = decodeURIComponent(new URL(database.url).password)
    if (password) expect(there.output).not.toContain(password)
    const toPostgres = tablesOf(countTable(there.output))
    for (const table of ['objects', 'streams', 'coops', 'tokens', 'services', 'outgoing_follows', 'follow_requests', 'stream_collections', 'pools', 'agreements', 'directory_entries', 'deliveries', 'settings']) {
      expect(toPostgres[table]).toBeDefined()
    }
    expect(toPostgres.coops).toEqual([2, 2])
    expect(toPostgres.pools).toEqual([1, 1])
    const tables = Object.keys(toPostgres)
    expect(await postgresCounts(tables)).toEqual(sqliteCounts(sqliteFile, tables))
    expect(Object.fromEntries(tables.map(t => [t, toPostgres[t][0]]))).toEqual(sqliteCounts(sqliteFile, tables))

    // The database now holds a hub: without --force it is refused and left as it is.
    const again = await cli(h.dataDir, url, 'migrate', '--to', database.url)
    expect(again).toEqual({ code: 1, output: expect.stringMatching(/^Error: The PostgreSQL database already holds a hub; choose an empty database, or add --force/) })
    expect(await postgresCounts(tables)).toEqual(sqliteCounts(sqliteFile, tables))

    // The hub on PostgreSQL (a fresh DATA_DIR: nothing comes from the SQLite file), same HUB_URL and port.
    home = await startHubProcess({ dataDir: tempDir(), port, adminToken, env: { HUB_DATABASE_URL: database.url } })
    const onPostgres = home
    expect(onPostgres.output()).toContain('"store":"postgresql')
    expect(await publicView(onPostgres)).toEqual(before)
    expect((await api(onPostgres, 'PUT', '/api/v1/coops/alpha/services/chat', alpha.token, { name: 'Alpha Chat', category: 'chat', url: 'https://chat.alpha.example', access: 'public' })).status).toBe(201)
    await eventually(async () => (await servicesOnFollower()).includes('Alpha Chat') ? true : undefined, 'the follower to list a service published on PostgreSQL')
    await eventually(async () => (await api(onPostgres, 'GET', '/api/v1/admin/deliveries', adminToken)).json.queued === 0 ? true : undefined, 'the PostgreSQL hub to finish delivering')

    // While it runs, moving its store is refused, and no file is written.
    const backFile = path.join(tempDir(), 'hub.sqlite')
    const whileRunning = await cli(h.dataDir, url, 'migrate', '--from', database.url, '--to', `sqlite:${backFile}`)
    expect(whileRunning.code).toBe(1)
    expect(whileRunning.output).toMatch(/^Error: A hub process \(pid \d+\) is running on postgres.*; stop every hub on it before migrating/)
    expect(fs.existsSync(backFile)).toBe(false)
    const viewOnPostgres = await publicView(onPostgres)
    await onPostgres.stop()

    // PostgreSQL → a new SQLite file: every count matches, in the CLI's table and in both stores.
    const back = await cli(h.dataDir, url, 'migrate', '--from', database.url, '--to', `sqlite:${backFile}`)
    expect(back.code).toBe(0)
    expect(back.output).toMatch(/; every count matches\.$/)
    const toSqlite = tablesOf(countTable(back.output))
    const backTables = Object.keys(toSqlite)
    expect(backTables.sort()).toEqual(tables.sort())
    expect(await postgresCounts(backTables)).toEqual(sqliteCounts(backFile, backTables))
    expect(Object.fromEntries(backTables.map(t => [t, toSqlite[t][1]]))).toEqual(sqliteCounts(backFile, backTables))
    // One service more than at the first move, everything else as it was.
    expect(toSqlite.services[0]).toBe(toPostgres.services[0] + 1)
    expect(recordedHubUrl(backFile)).toBe(url)
    // It holds every private key: readable by the hub's user only.
    expect(fs.statSync(backFile).mode & 0o777).toBe(0o600)

    // The hub on the new SQLite file: the same data, and it federates once more.
    home = await startHubProcess({ dataDir: path.dirname(backFile), port, adminToken })
    const onSqlite = home
    expect(onSqlite.output()).toContain('"store":"sqlite"')
    expect(await publicView(onSqlite)).toEqual(viewOnPostgres)
    expect((await api(onSqlite, 'PUT', '/api/v1/coops/alpha/services/wiki', alpha.token, { name: 'Alpha Wiki', category: 'office', url: 'https://wiki.alpha.example', access: 'public' })).status).toBe(201)
    await eventually(async () => (await servicesOnFollower()).includes('Alpha Wiki') ? true : undefined, 'the follower to list a service published after the move back')
    expect(await servicesOnFollower()).toEqual(expect.arrayContaining(['Alpha Chat', 'Alpha Mail', 'Alpha Wiki']))
  }, 90_000)
})
