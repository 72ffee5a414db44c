import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Comparison } from './harness/report'
import type { Summary } from './harness/stats'
import { runLoad } from './harness/load'
import { repeat, repeatInterleaved, RepeatOptions } from './harness/repeat'
import { startChild, ChildServer } from './support/child-server'
import { RemotePeers, sharedRemotePeers } from './support/remote-peers'
import { startBenchHub } from './support/bench-hub'
import { processCpuMs } from './harness/process-cpu'

const ROOT = path.resolve(__dirname, '..', '..')
const ACTORS = 200
/** Activities in each counted run (and warm-up) of `measureInbound`. */
export const PER_RUN = 1000

/**
 * Rounds thrown away before an inbound comparison counts: every server is still warming in its
 * first rounds of 1,000 (the hub until its fourth or fifth), so with one warm-up round the counted
 * runs rose from the first to the third for every server (docs/performance.md, "Inbound").
 */
export const INBOUND_WARMUP_ROUNDS = 4

/**
 * Rounds an inbound comparison counts: a round of 1,000 lasts a quarter of a second for the fast
 * servers, while the benchmark machine's speed moves in spells of ten to thirty seconds, so three rounds
 * (about ten seconds of turns) could put one server's middle run in a slow spell and the other's
 * not; seven span about thirty (docs/performance.md, "Seven counted rounds for the inbound
 * comparison").
 */
export const INBOUND_COUNTED_ROUNDS = 7

/** The rounds of an inbound comparison: the benchmark's, with at least `INBOUND_WARMUP_ROUNDS` thrown away and `INBOUND_COUNTED_ROUNDS` counted. */
export function inboundRounds (options: RepeatOptions): RepeatOptions {
  return { warmups: Math.max(options.warmups, INBOUND_WARMUP_ROUNDS), runs: Math.max(options.runs, INBOUND_COUNTED_ROUNDS) }
}

/** An inbox under test: where to POST and which local actor the activities address. */
export interface InboxTarget {
  name: string
  server: ChildServer
  inboxUrl: string
  recipient: string
}

async function startHub (dataDir: string): Promise<InboxTarget> {
  // A big sibling's fan-out comes from one host: the per-host inbox rate limit is raised (its
  // check still runs on every request).
  const hub = await startBenchHub(dataDir, { env: { HUB_INBOX_RATE_LIMIT: '100000000' } })
  await hub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201)
  return { name: 'hub', server: hub.server, inboxUrl: `${hub.origin}/u/coop/inbox`, recipient: `${hub.origin}/u/coop` }
}

async function startReference (name: string, script: string, dataDir: string): Promise<InboxTarget> {
  const server = await startChild(path.join(ROOT, 'dist-bench', 'bench', 'references', script), { BENCH_DB: path.join(dataDir, `${name}.sqlite`) })
  return { name, server, inboxUrl: `${server.origin}/u/coop/inbox`, recipient: `${server.origin}/u/coop` }
}

/** The figures of one counted run of the inbound load. */
export type InboundFigures = Record<'perSecond' | 'p50' | 'p99' | 'cpuMs', number>

/** Sends every actor's first activity (its key is fetched then) to the target, before anything is counted. */
export async function firstSight (target: InboxTarget, peers: RemotePeers, concurrency: number): Promise<void> {
  const result = await runLoad(new URL(target.inboxUrl).origin, peers.prepareCreates(target.inboxUrl, target.recipient, ACTORS), concurrency)
  if (result.failed > 0) throw new Error(`${target.name} refused ${result.failed} warm-up activities: ${JSON.stringify(result.statuses)}\n${target.server.output().slice(-2000)}`)
}

/** One run of `PER_RUN` signed Creates at `concurrency`: throughput, latency, the server's CPU per activity. */
export async function inboundRun (target: InboxTarget, peers: RemotePeers, concurrency: number): Promise<InboundFigures> {
  const requests = peers.prepareCreates(target.inboxUrl, target.recipient, PER_RUN)
  let cpuBefore = NaN
  const result = await runLoad(new URL(target.inboxUrl).origin, requests, concurrency, () => { cpuBefore = processCpuMs(target.server.pid) ?? NaN })
  // The server process's own CPU per activity (all its threads, from /proc): it barely moves when
  // other work shares the cores, so it is the figure to read when the throughputs do.
  const cpuMs = ((processCpuMs(target.server.pid) ?? NaN) - cpuBefore) / PER_RUN
  if (result.failed > 0) throw new Error(`${target.name} refused ${result.failed} of ${PER_RUN}: ${JSON.stringify(result.statuses)}`)
  return { perSecond: result.perSecond, p50: result.p50Ms, p99: result.p99Ms, cpuMs }
}

/** Activities per second and latency of one inbox at one concurrency. */
export async function measureInbound (target: InboxTarget, peers: RemotePeers, concurrency: number, options: RepeatOptions): Promise<Record<keyof InboundFigures, Summary>> {
  await firstSight(target, peers, concurrency)
  return await repeat(options, async () => await inboundRun(target, peers, concurrency))
}

/**
 * The inbound benchmark: the hub against the ideal inbox, apex's default pipeline and the lean
 * reference. The four run side by side and are measured in turns (`repeatInterleaved`), so each
 * ratio compares runs made minutes apart at most, on a machine whose speed may drift.
 */
export async function inboundBenchmark (options: RepeatOptions, log: (line: string) => void): Promise<Comparison[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-inbound-'))
  log(`inbound: generating ${ACTORS} remote actors' keys`)
  const peers = await sharedRemotePeers(ACTORS)
  const comparisons: Comparison[] = []
  try {
    for (const concurrency of [10, 50]) {
      const { hub, ideal, apex, lean } = await measureInTurns(concurrency)
      comparisons.push({
        name: `inbound, ${concurrency} connections: signed Creates from ${ACTORS} actors`, unit: 'activities/s',
        hub: hub.perSecond, reference: { name: 'minimal ideal inbox (parse, Digest, RSA verify, one insert)', value: ideal.perSecond },
        ratio: hub.perSecond.median / ideal.perSecond.median, target: '≥ 0.6', met: hub.perSecond.median >= 0.6 * ideal.perSecond.median
      })
      comparisons.push({
        name: `inbound, ${concurrency} connections, against apex's own pipeline`, unit: 'activities/s',
        hub: hub.perSecond, reference: { name: 'activitypub-express default inbox on the same store', value: apex.perSecond },
        ratio: hub.perSecond.median / apex.perSecond.median, target: '≥ 2', met: hub.perSecond.median >= 2 * apex.perSecond.median
      })
      comparisons.push({
        name: `inbound CPU per activity, ${concurrency} connections: the server process, all its threads`, unit: 'ms',
        hub: hub.cpuMs, reference: { name: 'minimal ideal inbox', value: ideal.cpuMs },
        ratio: hub.cpuMs.median / ideal.cpuMs.median, target: 'reported', met: true
      })
      comparisons.push({
        name: `inbound CPU per activity, ${concurrency} connections, against apex's own pipeline`, unit: 'ms',
        hub: hub.cpuMs, reference: { name: 'activitypub-express default inbox on the same store', value: apex.cpuMs },
        ratio: hub.cpuMs.median / apex.cpuMs.median, target: 'reported', met: true
      })
      comparisons.push({
        name: `inbound, ${concurrency} connections: a reference for a decision, not the hub — the hub's receiving steps without Express or apex, one row per activity`, unit: 'activities/s',
        hub: lean.perSecond, reference: { name: 'minimal ideal inbox', value: ideal.perSecond },
        ratio: lean.perSecond.median / ideal.perSecond.median, target: 'reported', met: true
      })
      comparisons.push({
        name: `inbound latency p99, ${concurrency} connections: the same reference for a decision`, unit: 'ms',
        hub: lean.p99, reference: { name: 'minimal ideal inbox', value: ideal.p99 },
        ratio: lean.p99.median / ideal.p99.median, target: 'reported', met: true
      })
      comparisons.push({
        name: `inbound latency p50, ${concurrency} connections`, unit: 'ms',
        hub: hub.p50, reference: { name: 'minimal ideal inbox', value: ideal.p50 },
        ratio: hub.p50.median / ideal.p50.median, target: 'reported', met: true
      })
      // The tail at 50 connections is a target (within 3 × the ideal's); at 10 it is reported.
      const p99Ratio = hub.p99.median / ideal.p99.median
      comparisons.push({
        name: `inbound latency p99, ${concurrency} connections`, unit: 'ms',
        hub: hub.p99, reference: { name: 'minimal ideal inbox', value: ideal.p99 },
        ratio: p99Ratio, ...(concurrency === 50 ? { target: '≤ 3', met: p99Ratio <= 3 } : { target: 'reported', met: true })
      })
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  return comparisons

  /** Starts the four inboxes, gives each its first sight, measures them in turns, stops them. */
  async function measureInTurns (concurrency: number): Promise<Record<'hub' | 'ideal' | 'apex' | 'lean', Record<keyof InboundFigures, Summary>>> {
    const targets: InboxTarget[] = []
    // Each server is kept as soon as it runs, so that one failing to start stops those before it.
    const kept = async (starting: Promise<InboxTarget>): Promise<InboxTarget> => {
      const target = await starting
      targets.push(target)
      return target
    }
    try {
      const hub = await kept(startHub(path.join(dataDir, `hub-${concurrency}`)))
      const ideal = await kept(startReference('ideal', 'ideal-inbox.js', dataDir))
      const apex = await kept(startReference('apex', 'apex-inbox.js', dataDir))
      const lean = await kept(startReference('lean', 'lean-inbox.js', dataDir))
      for (const target of targets) await firstSight(target, peers, concurrency)
      log(`inbound: ${targets.map(t => t.name).join(', ')} in turns, ${concurrency} connections`)
      const run = (target: InboxTarget) => async () => await inboundRun(target, peers, concurrency)
      return await repeatInterleaved(inboundRounds(options), { hub: run(hub), ideal: run(ideal), apex: run(apex), lean: run(lean) })
    } finally {
      for (const target of targets) await target.server.stop()
    }
  }
}
