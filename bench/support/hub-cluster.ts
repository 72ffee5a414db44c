import path from 'path'
import { randomPort } from './bench-hub'
import { startChild, ChildServer } from './child-server'
import { startRoundRobinProxy } from './round-robin-proxy'

// Compiled to dist-bench/bench/support/: the project root is three levels up.
const ROOT = path.resolve(__dirname, '..', '..', '..')

/** The admin token every process of a cluster shares (HUB_ADMIN_TOKEN). */
export const CLUSTER_TOKEN = 'bench-admin-token-0123456789abcdef'

/** Several hub processes behind one round-robin proxy, whose origin is their shared HUB_URL. */
export interface HubCluster {
  origin: string
  hubs: ChildServer[]
  /** Calls the hubs' JSON API (through the proxy) as the admin; throws on a status other than `expect`. */
  api: (method: string, apiPath: string, body?: unknown, expect?: number) => Promise<unknown>
  stop: () => Promise<void>
}

/** How to start a cluster: how many processes, each one's DATA_DIR, extra environment for all. */
export interface HubClusterOptions {
  count: number
  dataDirOf: (index: number) => string
  env?: Record<string, string>
}

/**
 * Starts `count` hub processes (dist/main.js) on loopback behind one round-robin proxy, the
 * first alone (it sets up a fresh store) and the others together.
 */
export async function startHubCluster (options: HubClusterOptions): Promise<HubCluster> {
  const proxy = await startRoundRobinProxy()
  const hubs: ChildServer[] = []
  const start = async (index: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const port = randomPort()
      try {
        hubs.push(await startChild(path.join(ROOT, 'dist', 'main.js'), {
          PORT: String(port), HUB_URL: proxy.origin, DATA_DIR: options.dataDirOf(index), HUB_ADMIN_TOKEN: CLUSTER_TOKEN, HUB_ALLOW_PRIVATE_ADDRESSES: '1',
          // No schedules, as for every bench hub (bench-hub.ts says why).
          LOG_LEVEL: 'error', HUB_INBOX_RATE_LIMIT: '1000000', HUB_KEY_FETCH_LIMIT: '100000000', HUB_SCHEDULER: '0', ...options.env
        }, `http://127.0.0.1:${port}/nodeinfo/2.1`))
        proxy.upstreams.push(`http://127.0.0.1:${port}`)
        return
      } catch (err) {
        // The port drawn was taken meanwhile: draw another.
        if (attempt >= 5 || !/already in use/.test((err as Error).message)) throw err
      }
    }
  }
  const stop = async (): Promise<void> => {
    await Promise.all(hubs.map(h => h.stop()))
    await proxy.stop()
  }
  const api = async (method: string, apiPath: string, body?: unknown, expect = 200): Promise<unknown> => {
    const res = await fetch(`${proxy.origin}/api/v1${apiPath}`, {
      method, headers: { authorization: `Bearer ${CLUSTER_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.text()
    if (res.status !== expect) throw new Error(`${method} ${apiPath}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  try {
    await start(0)
    await Promise.all(Array.from({ length: options.count - 1 }, (_, i) => start(i + 1)))
  } catch (err) {
    await stop()
    throw err
  }
  return { origin: proxy.origin, hubs, api, stop }
}
