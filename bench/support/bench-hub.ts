import path from 'path'
import { startChild, ChildServer } from './child-server'

// Compiled to dist-bench/bench/support/: the project root is three levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..')

/** A hub process under test and how to reach its admin API. */
export interface BenchHub {
  server: ChildServer
  origin: string
  token: string
  /** Calls the hub's JSON API as the admin; throws on a status other than `expect`. */
  api: (method: string, apiPath: string, body?: unknown, expect?: number) => Promise<unknown>
}

/** Options for a hub under test: extra environment and node flags (`--cpu-prof`). */
export interface BenchHubOptions {
  env?: Record<string, string>
  nodeArgs?: string[]
}

/** BENCH_HUB_PROFILE=<dir> profiles every hub a benchmark starts (`--cpu-prof`), for bench/profile/cpu-profile-summary.js. */
function profileArgs (): string[] {
  const dir = process.env.BENCH_HUB_PROFILE
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []
}

/** A free-looking port: the bench processes are short-lived and the range is wide. */
export function randomPort (): number {
  return 20000 + Math.floor(Math.random() * 20000)
}

/** Starts the built hub (dist/main.js) on loopback with a fresh data directory. */
export async function startBenchHub (dataDir: string, options: BenchHubOptions = {}): Promise<BenchHub> {
  const port = randomPort()
  const origin = `http://127.0.0.1:${port}`
  const token = 'bench-admin-token-0123456789abcdef'
  const server = await startChild(path.join(ROOT, 'dist', 'main.js'), {
    PORT: String(port), HUB_URL: origin, DATA_DIR: dataDir, HUB_ADMIN_TOKEN: token, HUB_ALLOW_PRIVATE_ADDRESSES: '1', LOG_LEVEL: 'error', ...options.env
  }, `${origin}/nodeinfo/2.1`, [...(options.nodeArgs ?? []), ...profileArgs()])
  const api = async (method: string, apiPath: string, body?: unknown, expect = 200): Promise<unknown> => {
    const res = await fetch(`${origin}/api/v1${apiPath}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    if (res.status !== expect) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { server, origin, token, api }
}
