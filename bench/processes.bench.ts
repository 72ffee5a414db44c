import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Comparison } from './harness/report'
import type { Summary } from './harness/stats'
import { runLoad } from './harness/load'
import { repeat, RepeatOptions } from './harness/repeat'
import { HubCluster, startHubCluster } from './support/hub-cluster'
import { RemotePeers } from './support/remote-peers'

const ACTORS = 100
const PER_RUN = 900
const CONCURRENCY = 30

/** `count` hub processes on one DATA_DIR behind one round-robin proxy (their shared HUB_URL), with one co-op. */
async function startCluster (count: number, dataDir: string): Promise<HubCluster> {
  const cluster = await startHubCluster({ count, dataDirOf: () => dataDir })
  try {
    await cluster.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201)
  } catch (err) {
    await cluster.stop()
    throw err
  }
  return cluster
}

/** Signed Creates per second through the proxy into `count` processes. */
async function measure (count: number, dataDir: string, peers: RemotePeers, options: RepeatOptions): Promise<Record<'perSecond' | 'p50' | 'p99', Summary>> {
  const cluster = await startCluster(count, dataDir)
  try {
    const inbox = `${cluster.origin}/u/coop/inbox`
    const recipient = `${cluster.origin}/u/coop`
    // First sight of every actor (key fetch) happens here, before anything is counted.
    const first = await runLoad(cluster.origin, peers.prepareCreates(inbox, recipient, ACTORS), CONCURRENCY)
    if (first.failed > 0) throw new Error(`${count} processes refused ${first.failed} warm-up activities: ${JSON.stringify(first.statuses)}`)
    return await repeat(options, async () => {
      const result = await runLoad(cluster.origin, peers.prepareCreates(inbox, recipient, PER_RUN), CONCURRENCY)
      if (result.failed > 0) throw new Error(`${count} processes refused ${result.failed} of ${PER_RUN}: ${JSON.stringify(result.statuses)}`)
      return { perSecond: result.perSecond, p50: result.p50Ms, p99: result.p99Ms }
    })
  } finally {
    await cluster.stop()
  }
}

/**
 * Inbound throughput of three hub processes on one SQLite database against one process, both
 * behind the same round-robin proxy (docs/scaling.md). Recorded, not a pass/fail target: on a
 * machine with fewer cores than processes plus load generator, more processes share the cores.
 */
export async function processesBenchmark (options: RepeatOptions, log: (line: string) => void): Promise<{ comparisons: Comparison[], notes: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-processes-'))
  log(`processes: generating ${ACTORS} remote actors' keys`)
  const peers = await new RemotePeers().start(ACTORS)
  try {
    log(`processes: one hub process behind the proxy, ${CONCURRENCY} connections`)
    const one = await measure(1, path.join(dataDir, 'one'), peers, options)
    log(`processes: three hub processes on one database behind the proxy, ${CONCURRENCY} connections`)
    const three = await measure(3, path.join(dataDir, 'three'), peers, options)
    const ratio = three.perSecond.median / one.perSecond.median
    return {
      comparisons: [{
        name: `inbound through a round-robin proxy, ${CONCURRENCY} connections: three hub processes on one SQLite database`, unit: 'activities/s',
        hub: three.perSecond, reference: { name: 'one hub process behind the same proxy', value: one.perSecond },
        ratio, target: 'reported', met: true
      }],
      notes: [
        `processes: p50 latency ${one.p50.median.toFixed(1)} ms (one) vs ${three.p50.median.toFixed(1)} ms (three); p99 ${one.p99.median.toFixed(1)} ms vs ${three.p99.median.toFixed(1)} ms`,
        `processes: measured on ${os.cpus().length} cores shared by the load generator, the proxy and the hubs`
      ]
    }
  } finally {
    await peers.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
