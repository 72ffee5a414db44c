import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Comparison } from './harness/report'
import { repeatInterleaved, RepeatOptions } from './harness/repeat'
import type { Summary } from './harness/stats'
import { firstSight, InboundFigures, InboxTarget, inboundRounds, inboundRun, PER_RUN } from './inbound.bench'
import { processCpuMs } from './harness/process-cpu'
import { startBenchHub } from './support/bench-hub'
import { LARGE_STORE, largeInboxStore } from './support/large-inbox-store'
import { RemotePeers } from './support/remote-peers'

// The inbound benchmark's senders (its first-sight warm-up sends one activity each).
const ACTORS = 200
// A big sibling's fan-out comes from one host: the per-host inbox rate limit is raised (its check still runs).
const ENV = { HUB_INBOX_RATE_LIMIT: '100000000' }

/**
 * Inbound at scale: the inbound benchmark's signed Creates, from 200 actors each on a server of
 * its own, to a hub whose store already holds a million inbound activities from 2,000 servers,
 * against the same load on an empty store, in the same run: the two hubs run side by side and are
 * measured in turns.
 */
export async function inboundAtScaleBenchmark (options: RepeatOptions, log: (line: string) => void): Promise<{ comparisons: Comparison[], notes: string[] }> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-inbound-scale-'))
  log(`inbound at scale: generating ${ACTORS} remote actors' keys, each on a server of its own`)
  const peers = await new RemotePeers().start(ACTORS, { hostPerActor: true })
  const comparisons: Comparison[] = []
  const notes: string[] = []
  try {
    for (const concurrency of [10, 50]) {
      const { empty, large, emptyCpu, largeCpu } = await measureInTurns(concurrency)
      comparisons.push({
        name: `inbound at scale, ${concurrency} connections: a store holding ${LARGE_STORE.activities} activities from ${LARGE_STORE.hosts} servers, 200 senders on servers of their own`,
        unit: 'activities/s',
        hub: large.perSecond,
        reference: { name: 'the same hub and load on an empty store', value: empty.perSecond },
        ratio: large.perSecond.median / empty.perSecond.median, target: '≥ 0.8', met: large.perSecond.median >= 0.8 * empty.perSecond.median
      })
      notes.push(`inbound at scale, ${concurrency} connections: hub CPU ${largeCpu.toFixed(2)} ms an activity on the large store, ${emptyCpu.toFixed(2)} ms on the empty one (warm-ups included); p99 ${large.p99.median.toFixed(1)} ms and ${empty.p99.median.toFixed(1)} ms`)
    }
  } finally {
    await peers.stop()
    fs.rmSync(runDir, { recursive: true, force: true })
  }
  return { comparisons, notes }

  /**
   * Starts a hub on an empty store and one on a copy of the large store, gives each its first
   * sight, measures them in turns, and answers their figures with each hub's CPU per activity
   * over the whole measurement (first sight and warm-ups included); stops both, removes the copy.
   */
  async function measureInTurns (concurrency: number): Promise<Record<'empty' | 'large', Record<keyof InboundFigures, Summary>> & { emptyCpu: number, largeCpu: number }> {
    const copyDir = path.join(runDir, `large-${concurrency}`)
    const hubs: InboxTarget[] = []
    try {
      const emptyHub = await startBenchHub(path.join(runDir, `empty-${concurrency}`), { env: ENV })
      hubs.push(coopInbox(emptyHub))
      await emptyHub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201)
      const started = Date.now()
      const store = await largeInboxStore(copyDir, log)
      notes.push(`inbound at scale: the ${LARGE_STORE.activities}-activity store was ready (copied) in ${((Date.now() - started) / 1000).toFixed(0)} s`)
      hubs.push(coopInbox(await startBenchHub(store.dataDir, { port: store.port, env: ENV })))
      const [empty, large] = hubs
      const cpu = (hub: InboxTarget): number => processCpuMs(hub.server.pid) ?? NaN
      const cpuBefore = hubs.map(cpu)
      for (const hub of hubs) await firstSight(hub, peers, concurrency)
      log(`inbound at scale: the empty store and ${LARGE_STORE.activities} activities in turns, ${concurrency} connections`)
      const rounds = inboundRounds(options)
      const figures = await repeatInterleaved(rounds, {
        empty: async () => await inboundRun(empty, peers, concurrency),
        large: async () => await inboundRun(large, peers, concurrency)
      })
      const activities = ACTORS + (rounds.warmups + rounds.runs) * PER_RUN
      const [emptyCpu, largeCpu] = hubs.map((hub, i) => (cpu(hub) - cpuBefore[i]) / activities)
      return { ...figures, emptyCpu, largeCpu }
    } finally {
      for (const hub of hubs) await hub.server.stop()
      // About 2 GB a copy: gone before the next.
      fs.rmSync(copyDir, { recursive: true, force: true })
    }
  }

  /** The bench co-op's inbox on a started hub. */
  function coopInbox (hub: { server: InboxTarget['server'], origin: string }): InboxTarget {
    return { name: 'hub', server: hub.server, inboxUrl: `${hub.origin}/u/coop/inbox`, recipient: `${hub.origin}/u/coop` }
  }
}
