import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer } from '../helpers/fake-peer'
import { HubProcess, startHubProcess } from '../helpers/hub-process'
import { RoundRobinProxy, startRoundRobinProxy } from '../helpers/round-robin-proxy'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { checkOneInstanceKey, registerSharedChecks, ThreeProcesses } from './three-process-checks'

/**
 * Three hub processes with one HUB_URL and one DATA_DIR (one SQLite database in WAL mode),
 * behind a round-robin proxy, started at the same moment: every inbound activity is processed
 * once even when it reaches two processes at the same moment, every delivery is sent once,
 * every tick of a scheduled job runs once, and no process signs with a key another replaced.
 */
describe('three hub processes on one SQLite database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-three-'))
  const adminToken = 'three-processes-admin-token-0123456789'
  let proxy: RoundRobinProxy
  let peer: FakePeer
  let hubs: HubProcess[] = []
  const database = path.join(dataDir, 'hub.sqlite')
  const setup = (): ThreeProcesses => ({
    proxy,
    peer,
    hubs,
    adminToken,
    query: async <R>(sql: string, params: unknown[] = []): Promise<R[]> => {
      const db = new Database(database, { readonly: true })
      try { return db.prepare(sql).all(...params) as R[] } finally { db.close() }
    },
    openStore: async () => new SqliteStore(database)
  })

  beforeAll(async () => {
    peer = await new FakePeer().start()
    proxy = await startRoundRobinProxy()
    const env = {
      HUB_URL: proxy.url,
      HUB_PROCESS_HEARTBEAT_MS: '500',
      HUB_INBOX_RATE_LIMIT: '100000',
      HUB_SCHEDULER: '1',
      HUB_SCHEDULE_EXPIRY: '*/2 * * * * *',
      HUB_SCHEDULE_HEALTH: 'off',
      HUB_SCHEDULE_DIRECTORIES: 'off',
      HUB_SCHEDULE_SIBLINGS: 'off'
    }
    // All three start at once on a fresh DATA_DIR: migrations, the instance actor and the admin token race.
    hubs = await Promise.all([0, 1, 2].map(() => startHubProcess({ dataDir, adminToken, env })))
    proxy.upstreams.push(...hubs.map(h => h.url))
  })
  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) hubs.forEach((h, i) => console.log(`hub ${i}:\n${h.output()}`))
    await Promise.all(hubs.map(h => h.stop()))
    await proxy?.stop()
    await peer?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('all three serve the one instance actor key that was stored', async () => {
    await checkOneInstanceKey(setup())
  })

  registerSharedChecks(setup)
})
