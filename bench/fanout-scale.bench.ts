import Database from 'better-sqlite3'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { Worker } from 'worker_threads'
import { openStore } from '../src/store/open-store'
import type { ApexNode } from '../src/store/store.port'
import { processCpuMs, processRssMiB } from './harness/process-cpu'
import type { Absolute } from './harness/report'
import { percentile, summarise, type Summary } from './harness/stats'
import { startBenchHub, type BenchHub } from './support/bench-hub'
import { FollowerHosts } from './support/follower-hosts'

const HOSTS = 50
/** How often the probe asks the hub for /nodeinfo/2.1 during a fan-out. */
const PROBE_EVERY_MS = 5

interface Scenario { followers: number, shared: boolean }
interface ScenarioFigures {
  label: string
  putMs: Summary
  probeMaxMs: Summary
  probeP99Ms: Summary
  peakRssOverIdleMiB: Summary
  seconds: Summary
  cpuMsPerFollower: Summary
  deliveries: number
}

/**
 * Fan-out at scale: a co-op followed by 10,000 and 100,000 accounts on 50 servers with shared
 * inboxes (50 deliveries a publish) and by 10,000 accounts with their own inboxes (10,000
 * deliveries). One follower follows for real (a signed Follow, accepted); the others are its
 * rows copied through the store with their own ids, as real Follows leave them (the cached actor
 * and the Follow in the followers collection). During each counted publish, from the PUT until
 * the last page was resolved, a probe on a thread of its own GETs /nodeinfo/2.1 every 5 ms and
 * the hub's resident memory is sampled.
 */
export async function fanoutScaleBenchmark (options: { runs: number }, log: (line: string) => void): Promise<{ absolutes: Absolute[], notes: string[] }> {
  const scenarios: Scenario[] = [{ followers: 10_000, shared: true }, { followers: 100_000, shared: true }, { followers: 10_000, shared: false }]
  const figures: ScenarioFigures[] = []
  for (const scenario of scenarios) figures.push(await runScenario(scenario, options.runs, log))
  const absolutes: Absolute[] = []
  for (const f of figures) {
    const big = f.label.startsWith('100000')
    absolutes.push(
      { name: `fan-out at scale, ${f.label}: the PUT that publishes`, unit: 'ms', value: f.putMs, target: '≤ 100', met: f.putMs.median <= 100 },
      { name: `fan-out at scale, ${f.label}: slowest probe answer during the fan-out`, unit: 'ms', value: f.probeMaxMs, target: '≤ 100', met: f.probeMaxMs.median <= 100 },
      { name: `fan-out at scale, ${f.label}: probe p99 during the fan-out`, unit: 'ms', value: f.probeP99Ms, target: '≤ 20', met: f.probeP99Ms.median <= 20 },
      { name: `fan-out at scale, ${f.label}: peak RSS over the idle hub`, unit: 'MiB', value: f.peakRssOverIdleMiB, target: big ? '≤ 100' : 'reported', met: !big || f.peakRssOverIdleMiB.median <= 100 },
      { name: `fan-out at scale, ${f.label}: from the PUT to the last of ${f.deliveries} deliveries and the last page resolved`, unit: 's', value: f.seconds, target: big ? '≤ 1' : 'reported', met: !big || f.seconds.median <= 1 }
    )
  }
  const [small, large] = figures
  const ratio = large.cpuMsPerFollower.median / small.cpuMsPerFollower.median
  const ratios = large.cpuMsPerFollower.runs.map((v, i) => v / (small.cpuMsPerFollower.runs[i] ?? small.cpuMsPerFollower.median))
  absolutes.push({ name: 'fan-out at scale: hub CPU per follower, 100000 vs 10000 followers (shared inboxes)', unit: '×', value: { ...summarise(ratios), median: ratio }, target: '≤ 1.2', met: ratio <= 1.2 })
  return {
    absolutes,
    notes: figures.map(f => `fan-out at scale, ${f.label}: ${(f.cpuMsPerFollower.median * 1000).toFixed(1)} µs of hub CPU per follower (median)`)
  }
}

/** Runs one scenario: a hub with `scenario.followers` followers, a warm-up publish and `runs` measured ones. */
export async function runScenario (scenario: Scenario, runs: number, log: (line: string) => void): Promise<ScenarioFigures> {
  const label = `${scenario.followers} followers, ${scenario.shared ? `${HOSTS} shared inboxes` : 'own inboxes'}`
  const deliveries = scenario.shared ? HOSTS : scenario.followers
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-fanout-scale-'))
  const dataDir = path.join(dir, 'data')
  const hosts = await new FollowerHosts(scenario.shared).start(HOSTS)
  let hub: BenchHub | null = null
  let probe: Probe | null = null
  try {
    hub = await startBenchHub(dataDir)
    const coop = await hub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201) as { id: string, token: string }
    const inbox = `${hub.origin}/u/coop/inbox`
    const follow = hosts.signedFollow(0, inbox, coop.id)
    const res = await fetch(inbox, { method: 'POST', headers: follow.headers, body: follow.body })
    if (res.status !== 202) throw new Error(`the hub refused the template Follow: ${res.status} ${await res.text()}`)
    await hosts.waitFor('Accept', 1)
    await hub.server.stop()
    log(`fan-out at scale, ${label}: writing the followers through the store`)
    const copied = Date.now()
    await copyFollowers(dataDir, hosts, scenario.followers)
    log(`fan-out at scale, ${label}: ${scenario.followers} followers written in ${((Date.now() - copied) / 1000).toFixed(1)} s`)
    hub = await startBenchHub(dataDir, { port: hub.port })
    const current = hub
    const put = async (description: string): Promise<number> => {
      const started = performance.now()
      const answer = await fetch(`${current.origin}/api/v1/coops/coop/services/files`, {
        method: 'PUT', headers: { authorization: `Bearer ${coop.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Files', category: 'file-hosting', url: 'https://files.example', access: 'members', summary: description })
      })
      if (!answer.ok) throw new Error(`PUT service: ${answer.status} ${await answer.text()}`)
      return performance.now() - started
    }
    // The Create opens the hub's connections to every host, as a running hub has them.
    await put('first')
    await hosts.waitFor('Create', deliveries)
    await new Promise(resolve => setTimeout(resolve, 1_000))
    probe = await startProbe(current.origin)
    const out: Array<{ putMs: number, probeMax: number, probeP99: number, peak: number, seconds: number, cpu: number }> = []
    for (let run = 1; run <= runs; run++) {
      const idle = processRssMiB(current.server.pid) ?? 0
      const before = hosts.count('Update')
      let peak = idle
      const sampler = setInterval(() => { peak = Math.max(peak, processRssMiB(current.server.pid) ?? 0) }, 10)
      const cpu0 = processCpuMs(current.server.pid) ?? 0
      const started = performance.now()
      probe.start()
      const putMs = await put(`version ${run}`)
      await hosts.waitFor('Update', before + deliveries)
      // Every target may be queued by the first page: done is when the last page was resolved too.
      await resolved(dataDir)
      const seconds = (performance.now() - started) / 1000
      const cpu = (processCpuMs(current.server.pid) ?? 0) - cpu0
      clearInterval(sampler)
      peak = Math.max(peak, processRssMiB(current.server.pid) ?? 0)
      const latencies = await probe.stop()
      out.push({ putMs, probeMax: Math.max(...latencies), probeP99: percentile(latencies, 0.99), peak: peak - idle, seconds, cpu: cpu / scenario.followers })
      log(`fan-out at scale, ${label}: run ${run}: PUT ${putMs.toFixed(0)} ms, done in ${seconds.toFixed(2)} s, probe max ${Math.max(...latencies).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms (${latencies.length} answers), RSS +${(peak - idle).toFixed(0)} MiB`)
      await new Promise(resolve => setTimeout(resolve, 500))
    }
    const duplicates = [...hosts.paths.entries()].filter(([key, n]) => key.startsWith('Update ') && n > runs)
    if (duplicates.length > 0) throw new Error(`some inboxes received an Update more than once a publish: ${JSON.stringify(duplicates.slice(0, 3))}`)
    return {
      label,
      deliveries,
      putMs: summarise(out.map(o => o.putMs)),
      probeMaxMs: summarise(out.map(o => o.probeMax)),
      probeP99Ms: summarise(out.map(o => o.probeP99)),
      peakRssOverIdleMiB: summarise(out.map(o => o.peak)),
      seconds: summarise(out.map(o => o.seconds)),
      cpuMsPerFollower: summarise(out.map(o => o.cpu))
    }
  } finally {
    await probe?.close()
    await hub?.server.stop()
    await hosts.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Copies the one real follower's rows — its cached actor and its accepted Follow — for followers
 * 1 … count-1, each with its own ids on its own host, through the store's own writers (so the
 * delivery target and the kept counts are written as for a real Follow). The hub is stopped.
 */
async function copyFollowers (dataDir: string, hosts: FollowerHosts, count: number): Promise<void> {
  const store = openStore(dataDir)
  try {
    const templateId = hosts.actorId(0)
    const actor = await store.getObject(templateId, true)
    const follow = await store.getActivity(`${templateId}/follows/0`, true)
    if (actor === null || follow === null) throw new Error('the template follower was not stored')
    const actorText = JSON.stringify(actor)
    const followText = JSON.stringify(follow)
    const host0 = new URL(templateId).origin
    for (let n = 1; n < count; n++) {
      const id = hosts.actorId(n)
      const rewrite = (text: string): ApexNode => JSON.parse(text
        .split(templateId).join(id)
        .split(`${host0}/inbox`).join(`${new URL(id).origin}/inbox`)
        .split(`${id}/follows/0"`).join(`${id}/follows/${n}"`)) as ApexNode
      await store.saveObject(rewrite(actorText))
      await store.saveActivity(rewrite(followText))
    }
  } finally {
    store.close()
  }
}

/** Resolves once the hub's database holds no audience resolution job (polled every 5 ms, read-only). */
async function resolved (dataDir: string): Promise<void> {
  const db = new Database(path.join(dataDir, 'hub.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const pending = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox_resolutions')
    while ((pending.get()?.n ?? 0) > 0) await new Promise(resolve => setTimeout(resolve, PROBE_EVERY_MS))
  } finally {
    db.close()
  }
}

/** The probe (bench/support/probe-worker.ts): GETs /nodeinfo/2.1 every 5 ms from each `start()` until the next `stop()`. */
interface Probe {
  start: () => void
  /** Stops probing; answers the latency of each probe since `start()`, in ms. */
  stop: () => Promise<number[]>
  close: () => Promise<void>
}

/** Starts the probe's thread; resolves once it got a first answer from the hub. */
async function startProbe (origin: string): Promise<Probe> {
  const worker = new Worker(path.join(__dirname, 'support', 'probe-worker.js'), { workerData: { url: `${origin}/nodeinfo/2.1`, everyMs: PROBE_EVERY_MS } })
  const next = async <T>(): Promise<T> => await new Promise<T>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  await next<string>()
  return {
    start: () => { worker.postMessage('start') },
    stop: async () => {
      const latencies = next<number[]>()
      worker.postMessage('stop')
      return await latencies
    },
    close: async () => { await worker.terminate() }
  }
}
