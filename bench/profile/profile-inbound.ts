/**
 * Profiles the hub's inbox under the inbound benchmark's load: starts the hub with `--cpu-prof`,
 * sends the warm-up and `count` signed Creates at `concurrency`, stops the hub and prints where
 * its CPU time went. `node dist-bench/bench/profile/profile-inbound.js [concurrency] [count] [keepDir]`;
 * TARGET=ideal, apex or lean profiles a reference inbox instead, PROFILE=0 only measures;
 * PERF_MAP=1 starts it with `--perf-basic-prof` (for `perf record`) instead of `--cpu-prof`.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { runLoad } from '../harness/load'
import { mainThreadCpuMs, processCpuMs } from '../harness/process-cpu'
import { startChild } from '../support/child-server'
import { coopCreates, startCoopInboxHub } from '../support/coop-inbox-hub'
import { RemotePeers } from '../support/remote-peers'
import { formatProfileSummary, readNewestProfile, summariseProfile } from './cpu-profile-summary'

async function main (): Promise<void> {
  const concurrency = Number(process.argv[2] ?? 10)
  const count = Number(process.argv[3] ?? 3000)
  const dir = process.argv[4] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-profile-'))
  const profile = process.env.PROFILE !== '0'
  const profDir = path.join(dir, 'profiles')
  const peers = await new RemotePeers().start(200)
  // Only the measured run counts in the summary: not start-up, not the warm-up.
  const window = { fromUs: 0, toUs: Infinity }
  const nodeArgs = process.env.PERF_MAP === '1' ? ['--perf-basic-prof'] : profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []
  const reference = ['ideal', 'apex', 'lean'].includes(process.env.TARGET ?? '') ? process.env.TARGET as string : null
  fs.mkdirSync(dir, { recursive: true })
  const hub = reference === null
    ? await startCoopInboxHub(path.join(dir, 'data'), { nodeArgs })
    : { origin: '', server: await startChild(path.join(__dirname, '..', 'references', `${reference}-inbox.js`), { BENCH_DB: path.join(dir, `${reference}.sqlite`) }, undefined, nodeArgs) }
  if (reference !== null) hub.origin = hub.server.origin
  try {
    await runLoad(hub.origin, coopCreates(peers, hub.origin, 400), concurrency)
    const requests = coopCreates(peers, hub.origin, count)
    let cpuBefore = NaN
    let loopBefore = NaN
    // Read once the connections are open: their opening requests are not the inbox's work.
    const result = await runLoad(hub.origin, requests, concurrency, () => {
      cpuBefore = processCpuMs(hub.server.pid) ?? NaN
      loopBefore = mainThreadCpuMs(hub.server.pid) ?? NaN
      window.fromUs = Number(process.hrtime.bigint() / 1000n)
    })
    window.toUs = Number(process.hrtime.bigint() / 1000n)
    const cpuMs = (processCpuMs(hub.server.pid) ?? NaN) - cpuBefore
    const loopMs = (mainThreadCpuMs(hub.server.pid) ?? NaN) - loopBefore
    process.stdout.write(`${result.perSecond.toFixed(0)} activities/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, statuses ${JSON.stringify(result.statuses)}\n`)
    process.stdout.write(`hub CPU: ${(cpuMs / count).toFixed(2)} ms per activity (${cpuMs.toFixed(0)} ms for ${count}); main thread ${(loopMs / count).toFixed(3)} ms\n\n`)
  } finally {
    await hub.server.stop()
    await peers.stop()
  }
  if (!profile) return
  fs.writeFileSync(path.join(dir, 'window.json'), JSON.stringify(window))
  process.stdout.write(formatProfileSummary(summariseProfile(readNewestProfile(profDir), 40, window)) + '\n')
  process.stdout.write(`\nprofile kept in ${profDir}\n`)
}

main().catch(err => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1) })
