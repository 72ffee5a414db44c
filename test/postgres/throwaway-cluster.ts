/**
 * A throwaway PostgreSQL cluster for the tests: `initdb` into a temporary folder (as the
 * `postgres` system user when the tests run as root, since initdb refuses root), started on a
 * free loopback port with its unix socket in that folder, stopped and deleted afterwards.
 */
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import { freePort } from '../helpers/ports'
import os from 'node:os'
import path from 'node:path'

/** A running cluster: a superuser URL, and how to remove it. */
export interface RunningCluster {
  adminUrl: string
  folder: string
  stop: () => void
}

/** The folder of the newest PostgreSQL server binaries: HUB_TEST_POSTGRES_BIN, else Debian's /usr/lib/postgresql/<n>/bin. */
export function findPostgresBinaries (env: NodeJS.ProcessEnv = process.env): string {
  const given = env.HUB_TEST_POSTGRES_BIN
  if (given) return given
  const root = '/usr/lib/postgresql'
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter(v => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : []
  for (const v of versions) {
    const bin = path.join(root, v, 'bin')
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin
  }
  throw new Error('No PostgreSQL server binaries found (apt-get install postgresql, or set HUB_TEST_POSTGRES_BIN or HUB_TEST_DATABASE_URL)')
}

/** The oldest PostgreSQL the hub supports: unaccent is a trusted extension (a database owner may create it) from 13 on. */
export const OLDEST_POSTGRES = 13

/** Throws, saying what to do, unless the `initdb` in `bin` is PostgreSQL 13 or later. */
export function requireSupportedPostgres (bin: string): void {
  const initdb = path.join(bin, 'initdb')
  let reported: string
  try {
    reported = execFileSync(initdb, ['--version'], { encoding: 'utf8' })
  } catch (err) {
    throw new Error(`Cannot run ${initdb} --version: ${(err as Error).message}`)
  }
  const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(reported)?.[1] ?? NaN)
  if (!(major >= OLDEST_POSTGRES)) {
    throw new Error(`The PostgreSQL store needs PostgreSQL ${OLDEST_POSTGRES} or later; ${initdb} reports "${reported.trim()}". Install a newer PostgreSQL, or set HUB_TEST_POSTGRES_BIN or HUB_TEST_DATABASE_URL to one`)
  }
}

/** Starts a new cluster; throws with PostgreSQL's own log when it cannot. */
export async function startThrowawayCluster (): Promise<RunningCluster> {
  const bin = findPostgresBinaries()
  requireSupportedPostgres(bin)
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-pg-'))
  const data = path.join(folder, 'data')
  const log = path.join(folder, 'server.log')
  const password = crypto.randomBytes(18).toString('base64url')
  fs.writeFileSync(path.join(folder, 'pwfile'), `${password}\n`, { mode: 0o600 })
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    fs.chownSync(folder, uid, gid)
    fs.chownSync(path.join(folder, 'pwfile'), uid, gid)
  }
  // initdb and the server refuse to run as root: run them as the postgres system user
  // (runuser where util-linux has it, su otherwise).
  const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`
  const run = (file: string, args: string[]): void => {
    const program = path.join(bin, file)
    if (!asRoot) {
      execFileSync(program, args, { stdio: 'pipe' })
    } else if (['/usr/sbin/runuser', '/sbin/runuser'].some(p => fs.existsSync(p))) {
      execFileSync('runuser', ['-u', 'postgres', '--', program, ...args], { stdio: 'pipe' })
    } else {
      execFileSync('su', ['-s', '/bin/sh', 'postgres', '-c', [program, ...args].map(quote).join(' ')], { stdio: 'pipe' })
    }
  }
  const port = await freePort()
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${path.join(folder, 'pwfile')}`, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'])
    // Durability settings off: the cluster is deleted after the run.
    const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
    run('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start'])
  } catch (err) {
    const serverLog = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''
    fs.rmSync(folder, { recursive: true, force: true })
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? ''
    throw new Error(`Could not start a throwaway PostgreSQL cluster: ${(err as Error).message}\n${stderr}\n${serverLog}`)
  }
  return {
    adminUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    folder,
    stop: () => {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']) } finally { fs.rmSync(folder, { recursive: true, force: true }) }
    }
  }
}
