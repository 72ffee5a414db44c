import { ChildProcess, spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { freePort } from './ports'

const ROOT = path.resolve(__dirname, '..', '..')

/** A hub running as its own process on loopback, as `npm start` runs it. */
export interface HubProcess {
  url: string
  port: number
  /** The process's pid (it names the leases the process holds). */
  pid: number
  dataDir: string
  adminToken: string
  output: () => string
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>
  /** Starts again on the same port and DATA_DIR. */
  restart: () => Promise<HubProcess>
  /** SIGKILL (no clean shutdown, like a crash) and wait for the exit. */
  kill: () => Promise<void>
}

/** Starts `node dist/main.js` (run `npm run build` first) and waits until it answers. */
export async function startHubProcess (options: { dataDir?: string, port?: number, adminToken?: string, env?: Record<string, string> } = {}): Promise<HubProcess> {
  const port = options.port ?? await freePort()
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-hub-'))
  const adminToken = options.adminToken ?? `test-admin-token-${Math.random().toString(36).slice(2)}-0123456789`
  const url = `http://127.0.0.1:${port}`
  let log = ''
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HUB_URL: url,
      DATA_DIR: dataDir,
      HUB_ADMIN_TOKEN: adminToken,
      HUB_ALLOW_PRIVATE_ADDRESSES: '1',
      LOG_LEVEL: 'info',
      // Scheduled sync stays off unless a test turns it on: a tick must not change a test's data.
      HUB_SCHEDULER: '0',
      ...options.env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout?.on('data', d => { log += String(d) })
  child.stderr?.on('data', d => { log += String(d) })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  await waitUntilServing(url, () => child.exitCode !== null, () => log)
  const hub: HubProcess = {
    url,
    port,
    pid: child.pid ?? 0,
    dataDir,
    adminToken,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
    restart: async () => {
      await hub.stop()
      return await startHubProcess({ dataDir, port, adminToken, env: options.env })
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    }
  }
  return hub
}

async function waitUntilServing (url: string, hasExited: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`The hub exited during start-up:\n${log()}`)
    try {
      const res = await fetch(`${url}/nodeinfo/2.1`)
      if (res.ok) return
    } catch { /* not listening yet */ }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`The hub did not start within 20 s:\n${log()}`)
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T> (check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (err) { last = err }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
}

/** A JSON API call with a bearer token. */
export async function api (hub: { url: string }, method: string, pathname: string, token?: string, body?: unknown): Promise<{ status: number, json: any }> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${hub.url}${pathname}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : null }
}

/** GETs an ActivityPub document as JSON. */
export async function getActivityJson (url: string): Promise<any> {
  const res = await fetch(url, { headers: { accept: 'application/activity+json' } })
  return await res.json()
}

/** GETs any JSON document. */
export async function getJson (url: string): Promise<any> {
  return await (await fetch(url)).json()
}
