import fs from 'fs'
import os from 'os'
import path from 'path'
import { loadConfig } from '../../src/config/config'
import { RunningHub, startHub } from '../../src/main'
import { freePort } from './ports'
import { prepareTestStore, type TestStoreKind } from './test-store-choice'

/** A hub started inside the test process (for tests that look into its store). */
export interface TestHub extends RunningHub {
  url: string
  port: number
  dataDir: string
  adminToken: string
}

/**
 * Starts a hub in this process on a free loopback port with a fresh DATA_DIR, on SQLite there
 * or on a fresh PostgreSQL database (dropped when the hub stops).
 */
export async function startTestHub (env: Record<string, string> = {}, store: TestStoreKind = 'sqlite'): Promise<TestHub> {
  const place = await prepareTestStore(store)
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-hub-'))
  const adminToken = `test-admin-token-${Math.random().toString(36).slice(2)}-abcdefghij`
  const config = loadConfig({
    PORT: String(port),
    HUB_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    HUB_ADMIN_TOKEN: adminToken,
    HUB_ALLOW_PRIVATE_ADDRESSES: '1',
    LOG_LEVEL: 'silent',
    // Scheduled sync stays off unless a test turns it on: a tick must not change a test's data.
    HUB_SCHEDULER: '0',
    ...place.env,
    ...env
  })
  const running = await startHub(config).catch(async err => { await place.drop(); throw err })
  const stop = async (): Promise<void> => {
    await running.stop()
    await place.drop()
  }
  return { ...running, stop, url: config.hubUrl, port, dataDir, adminToken }
}
