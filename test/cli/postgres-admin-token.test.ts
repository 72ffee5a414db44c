/**
 * The generated admin token of hub processes sharing one PostgreSQL database, none given
 * HUB_ADMIN_TOKEN: the first process generates it; a process with a fresh DATA_DIR is refused
 * with a message saying what to do, and adds no second admin token; with the first one's token
 * file copied in, it starts and the token works on it.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { api } from '../helpers/hub-process'
import { freePort } from '../helpers/ports'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'

const ROOT = path.join(__dirname, '..', '..')

interface Started { child: ChildProcess, url: string, output: () => string, exited: Promise<number | null> }

/** Starts `node dist/main.js` on `dataDir` and the database, without HUB_ADMIN_TOKEN. */
async function startHub (dataDir: string, databaseUrl: string): Promise<Started> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH, PORT: String(port), HUB_URL: 'http://127.0.0.1:4100', DATA_DIR: dataDir, HUB_DATABASE_URL: databaseUrl, HUB_ALLOW_PRIVATE_ADDRESSES: '1', HUB_SCHEDULER: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout?.on('data', d => { log += String(d) })
  child.stderr?.on('data', d => { log += String(d) })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  return { child, url, output: () => log, exited }
}

/** Waits until the hub answers, or fails with its output when it exits first. */
async function serving (hub: Started): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (hub.child.exitCode !== null) throw new Error(`The hub exited (${hub.child.exitCode}):\n${hub.output()}`)
    try {
      if ((await fetch(`${hub.url}/nodeinfo/2.1`)).ok) return
    } catch { /* not listening yet */ }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`The hub did not answer within 20 s:\n${hub.output()}`)
}

describe('the generated admin token of hub processes sharing a PostgreSQL database', () => {
  let database: TestDatabase
  const hubs: Started[] = []
  const dirs: string[] = []
  const dataDir = (): string => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-shared-admin-')); dirs.push(d); return d }
  beforeAll(async () => { database = await createTestDatabase() })
  afterAll(async () => {
    for (const hub of hubs) {
      if (hub.child.exitCode === null) hub.child.kill('SIGTERM')
      await hub.exited
    }
    await database.drop()
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  })

  async function inDatabase<T> (sql: string): Promise<T[]> {
    const client = new Client({ connectionString: database.url })
    await client.connect()
    try { return (await client.query(sql)).rows as T[] } finally { await client.end() }
  }

  it('is generated once; a fresh DATA_DIR is refused until it has the token file', async () => {
    const firstDir = dataDir()
    const first = await startHub(firstDir, database.url)
    hubs.push(first)
    await serving(first)
    const token = fs.readFileSync(path.join(firstDir, 'admin-token'), 'utf8').trim()
    expect(first.output()).toContain(token)

    const secondDir = dataDir()
    const refused = await startHub(secondDir, database.url)
    hubs.push(refused)
    expect(await refused.exited).toBe(2)
    expect(refused.output()).toMatch(/Cannot start: HUB_ADMIN_TOKEN is not set, and another hub process on this database \(HUB_DATABASE_URL\) already generated the admin token/)
    expect(refused.output()).toContain(`copy that file into ${secondDir}`)
    expect(fs.readdirSync(secondDir)).toEqual([])
    // One admin token in the database, and the refused process is not left registered.
    expect(await inDatabase<{ n: number }>("SELECT count(*)::int AS n FROM tokens WHERE scope = '*'")).toEqual([{ n: 1 }])
    expect(await inDatabase<{ n: number }>('SELECT count(*)::int AS n FROM hub_processes')).toEqual([{ n: 1 }])

    fs.copyFileSync(path.join(firstDir, 'admin-token'), path.join(secondDir, 'admin-token'))
    const second = await startHub(secondDir, database.url)
    hubs.push(second)
    await serving(second)
    expect(second.output()).not.toContain(token)
    expect((await api(second, 'GET', '/api/v1/admin/deliveries', token)).status).toBe(200)
    expect(await inDatabase<{ n: number }>("SELECT count(*)::int AS n FROM tokens WHERE scope = '*'")).toEqual([{ n: 1 }])
  })
})
