import type { PreparedRequest } from '../harness/load'
import { BenchHub, BenchHubOptions, startBenchHub } from './bench-hub'
import type { RemotePeers } from './remote-peers'

/** `n` signed Creates from the peers to the co-op `coop` on the server at `origin`. */
export function coopCreates (peers: RemotePeers, origin: string, n: number): PreparedRequest[] {
  return peers.prepareCreates(`${origin}/u/coop/inbox`, `${origin}/u/coop`, n)
}

/**
 * A bench hub with the co-op `coop` the inbound tools post to, and no per-address rate limit
 * (every Create comes from one loopback address).
 */
export async function startCoopInboxHub (dataDir: string, options: BenchHubOptions = {}): Promise<BenchHub> {
  const hub = await startBenchHub(dataDir, { ...options, env: { HUB_INBOX_RATE_LIMIT: '100000000', ...options.env } })
  try {
    await hub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201)
  } catch (err) {
    await hub.server.stop()
    throw err
  }
  return hub
}
