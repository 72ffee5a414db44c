/**
 * jest global set-up: one PostgreSQL server per run, for the test files that need one (their
 * names contain `postgres`). HUB_TEST_DATABASE_URL when set; otherwise a throwaway cluster with a
 * non-superuser role that will own each test file's database. Not started when the run selects
 * no PostgreSQL test.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { startThrowawayCluster, type RunningCluster } from './throwaway-cluster'
import { TEST_SERVER_ENV, type TestServer } from './test-server'

const OWNER = 'hub_owner'

/** The PostgreSQL test files under `dir`. */
function postgresTestFiles (dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : postgresTestFiles(full)
    return /postgres.*\.test\.ts$/.test(e.name) ? [full] : []
  })
}

/** True when the paths jest was asked to run include a PostgreSQL test file. */
function runIncludesPostgres (config: { rootDir: string, testPathPattern?: string }): boolean {
  const pattern = new RegExp(config.testPathPattern ?? '', 'i')
  return postgresTestFiles(path.join(config.rootDir, 'test')).some(file => pattern.test(file))
}

/** Starts (or adopts) the server and tells the workers where it is. */
export default async function globalSetup (globalConfig: { rootDir: string, testPathPattern?: string }): Promise<void> {
  if (process.env[TEST_SERVER_ENV] || !runIncludesPostgres(globalConfig)) return
  if (process.env.HUB_TEST_DATABASE_URL) {
    const server: TestServer = { adminUrl: process.env.HUB_TEST_DATABASE_URL, owner: null }
    process.env[TEST_SERVER_ENV] = JSON.stringify(server)
    return
  }
  const cluster = await startThrowawayCluster()
  const password = crypto.randomBytes(18).toString('base64url')
  try {
    const admin = new Client({ connectionString: cluster.adminUrl })
    await admin.connect()
    try {
      // The hub needs only to own its database: no superuser, no CREATEDB.
      await admin.query(`CREATE ROLE ${OWNER} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`)
    } finally {
      await admin.end()
    }
  } catch (err) {
    // jest runs no teardown when the set-up fails: stop the cluster here, or it outlives the run.
    cluster.stop()
    throw err
  }
  ;(globalThis as { hubTestCluster?: RunningCluster }).hubTestCluster = cluster
  const server: TestServer = { adminUrl: cluster.adminUrl, owner: { user: OWNER, password } }
  process.env[TEST_SERVER_ENV] = JSON.stringify(server)
}
