import fs from 'fs'
import path from 'path'
import { ChildRunOptions, ChildServer, startChild } from './child-server'

// Compiled to dist-bench/bench/support/: the project root is three levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..')

/** A hub process under test and how to reach its admin API. */
export interface BenchHub {
  server: ChildServer
  origin: string
  port: number
  token: string
  /** Calls the hub's JSON API as the admin; throws on a status other than `expect`. */
  api: (method: string, apiPath: string, body?: unknown, expect?: number) => Promise<unknown>
}

/**
 * Options for a hub under test: extra environment, node flags (`--cpu-prof`), a port (to restart
 * a hub on its data), another checkout whose built hub to start (`compare-inbound`).
 */
export interface BenchHubOptions {
  env?: Record<string, string>
  port?: number
  nodeArgs?: string[]
  root?: string
  /** Run under a profiler (`inbound-instructions`): its command, and a longer start. */
  run?: ChildRunOptions
}

/** BENCH_HUB_PROFILE=<dir> profiles every hub a benchmark starts (`--cpu-prof`), for bench/profile/cpu-profile-summary.js. */
function profileArgs (): string[] {
  const dir = process.env.BENCH_HUB_PROFILE
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []
}

/** The first port the kernel hands out to outgoing connections (Linux; 32768 elsewhere). */
function ephemeralStart (): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768
  } catch {
    return 32768
  }
}

/**
 * A free-looking port below the ephemeral range: a benchmark opens thousands of outgoing
 * connections, and a port in that range may be taken by one of them before the server binds it.
 */
export function randomPort (): number {
  const top = Math.max(ephemeralStart(), 12000)
  return 10000 + Math.floor(Math.random() * (top - 10000))
}

/** Starts the built hub (dist/main.js) on loopback with a fresh data directory; another port if the one drawn is taken. */
export async function startBenchHub (dataDir: string, options: BenchHubOptions = {}): Promise<BenchHub> {
  if (options.port !== undefined) return await startBenchHubOn(options.port, dataDir, options)
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBenchHubOn(randomPort(), dataDir, options)
    } catch (err) {
      if (attempt >= 5 || !/already in use/.test((err as Error).message)) throw err
    }
  }
}

async function startBenchHubOn (port: number, dataDir: string, options: BenchHubOptions): Promise<BenchHub> {
  const origin = `http://127.0.0.1:${port}`
  const token = 'bench-admin-token-0123456789abcdef'
  const server = await startChild(path.join(options.root ?? ROOT, 'dist', 'main.js'), {
    PORT: String(port), HUB_URL: origin, DATA_DIR: dataDir, HUB_ADMIN_TOKEN: token, HUB_ALLOW_PRIVATE_ADDRESSES: '1', LOG_LEVEL: 'error',
    // The benchmarks play many remote servers on 127.0.0.1 (one host name, many ports): the cap on
    // key fetches per host name would take them for one server.
    HUB_KEY_FETCH_LIMIT: '100000000',
    // No schedules: they fire at the wall clock's minute, whatever is being measured. The health
    // job probes the bench services' made-up addresses (off loopback) and, when a probe changes a
    // service's status, sends an Update to every follower: a fan-out run that crossed a tick of
    // it counted that Update as a second delivery. A benchmark that needs a job runs it by the API.
    HUB_SCHEDULER: '0',
    ...options.env
  }, `${origin}/nodeinfo/2.1`, [...(options.nodeArgs ?? []), ...profileArgs()], options.run)
  const api = async (method: string, apiPath: string, body?: unknown, expect = 200): Promise<unknown> => {
    const res = await fetch(`${origin}/api/v1${apiPath}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    if (res.status !== expect) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { server, origin, port, token, api }
}
