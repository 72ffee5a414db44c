import { ChildProcess, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import net from 'node:net'
import path from 'node:path'

/** One hub process of the demo. */
export interface DemoHubProcess {
  name: string
  url: string
  port: number
  adminToken: string
  pid: number
  /** Everything it printed (shown when it fails). */
  output: () => string
  /** Resolves when the process has exited, whoever stopped it. */
  exited: Promise<number | null>
  /** SIGTERM (the hub stops cleanly) and wait; SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>
}

/** `preferred` if nothing listens there on loopback, else any free port. */
export async function portNear (preferred: number): Promise<number> {
  const tryPort = (port: number): Promise<number | null> => new Promise(resolve => {
    const server = net.createServer()
    server.once('error', () => resolve(null))
    server.listen(port, '127.0.0.1', () => {
      const chosen = (server.address() as net.AddressInfo).port
      server.close(() => resolve(chosen))
    })
  })
  return (preferred > 0 ? await tryPort(preferred) : null) ?? (await tryPort(0) as number)
}

/** Starts `dist/main.js` as one hub on loopback, with its own data directory, and waits until it answers. */
export async function startDemoHub (name: string, port: number, dataDir: string): Promise<DemoHubProcess> {
  const url = `http://127.0.0.1:${port}`
  const adminToken = `demo-${crypto.randomBytes(18).toString('hex')}`
  const main = path.join(__dirname, '..', 'main.js')
  let log = ''
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HUB_URL: url,
      HUB_NAME: name,
      DATA_DIR: dataDir,
      HUB_ADMIN_TOKEN: adminToken,
      // The three hubs and the fixture server are all on loopback.
      HUB_ALLOW_PRIVATE_ADDRESSES: '1',
      HUB_SCHEDULER: '0',
      LOG_LEVEL: 'warn'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout?.on('data', d => { log += String(d) })
  child.stderr?.on('data', d => { log += String(d) })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  const hub: DemoHubProcess = {
    name,
    url,
    port,
    adminToken,
    pid: child.pid ?? -1,
    output: () => log,
    exited,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} did not start:\n${log}`)
    try {
      if ((await fetch(`${url}/nodeinfo/2.1`)).ok) return hub
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await hub.stop()
      throw new Error(`${name} did not answer within 30 s:\n${log}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}
