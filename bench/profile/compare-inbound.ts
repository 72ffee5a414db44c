/**
 * Compares the CPU per received activity of two builds of the hub, both under the inbound load
 * at the same time: this checkout's (A, or `--base`'s) and another's (B, `--other`; each built with
 * `node scripts/build.js`). Without `--other` B is A again, which measures the method's own noise.
 * Each round sends `--count` signed Creates to each hub over `--connections` connections of its
 * own, the two loads at once, and reads each hub's CPU time from /proc over that same window.
 *
 * Why at once: on a shared machine the speed moves by up to 2 × within minutes, so runs of one
 * build after the other (alternated) put that drift into the ratio; two hubs sharing the same
 * minutes share it, and only their difference is left. The order the two loads start in
 * alternates from round to round; a round is still good to only about ±8 % (docs/performance.md),
 * so a difference of a few per cent wants more rounds and the comparison run both ways.
 * `--env-a`/`--env-b KEY=VALUE` (repeatable) set a variable for one side only. `--thread main`
 * counts the main thread's CPU alone (the event loop's, which bounds the throughput where the loop
 * is the limit, as at 10 connections) instead of all the process's threads. `--apart` runs a
 * round's two loads one after the other instead (the order alternating) and also reports the
 * ratio of activities per second: for a change to what the event loop waits for rather than to
 * its CPU, which two loads at once would hide.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { parseArgs } from 'util'
import { runLoad } from '../harness/load'
import { environmentFrom } from '../harness/env-pairs'
import { mainThreadCpuMs, processCpuMs } from '../harness/process-cpu'
import type { BenchHub } from '../support/bench-hub'
import { coopCreates, startCoopInboxHub } from '../support/coop-inbox-hub'
import { RemotePeers } from '../support/remote-peers'

interface Side { name: 'A' | 'B', root?: string, env: Record<string, string> }

/** A checkout's absolute path, refused when it has no built hub; undefined for none given. */
function builtCheckout (dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined
  const root = path.resolve(dir)
  if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) throw new Error(`${root} has no built hub (dist/main.js): run \`node scripts/build.js\` there first`)
  return root
}

/** The median of a non-empty list. */
function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      other: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '5' },
      count: { type: 'string', default: '2000' },
      'env-a': { type: 'string', multiple: true },
      'env-b': { type: 'string', multiple: true },
      thread: { type: 'string', default: 'all' },
      apart: { type: 'boolean', default: false }
    }
  })
  if (values.thread !== 'all' && values.thread !== 'main') throw new Error(`--thread takes all or main; got "${values.thread}"`)
  const cpuMs = values.thread === 'main' ? mainThreadCpuMs : processCpuMs
  const rounds = Number(values.rounds)
  const connections = Number(values.connections)
  const count = Number(values.count)
  if (![rounds, connections, count].every(n => Number.isInteger(n) && n > 0)) throw new Error('--rounds, --connections and --count take positive integers')
  const base = builtCheckout(values.base)
  const other = builtCheckout(values.other) ?? base
  const sides: Side[] = [{ name: 'A', root: base, env: environmentFrom(values['env-a'], '--env-a') }, { name: 'B', root: other, env: environmentFrom(values['env-b'], '--env-b') }]

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-compare-'))
  const peers = await new RemotePeers().start(200)
  const hubs: BenchHub[] = []
  try {
    for (const side of sides) hubs.push(await startCoopInboxHub(path.join(dir, side.name), { root: side.root, env: side.env }))
    await Promise.all(hubs.map(async hub => await runLoad(hub.origin, coopCreates(peers, hub.origin, 400), connections)))
    process.stdout.write(`A: ${base ?? 'this checkout'}; B: ${other ?? 'this checkout'}; ${rounds} rounds of ${count} Creates to each, ${connections} connections each; CPU of ${values.thread === 'main' ? 'the main thread' : 'all threads'}\n`)
    const ratios: number[] = []
    const rates: number[] = []
    for (let round = 1; round <= rounds; round++) {
      const requests = hubs.map(hub => coopCreates(peers, hub.origin, count))
      const before = hubs.map(hub => cpuMs(hub.server.pid) ?? NaN)
      // Alternate which load starts first: the one that does gets the cores a moment sooner.
      const order = round % 2 === 1 ? [0, 1] : [1, 0]
      const results = new Array<Awaited<ReturnType<typeof runLoad>>>(2)
      if (values.apart) {
        for (const i of order) results[i] = await runLoad(hubs[i].origin, requests[i], connections)
      } else {
        await Promise.all(order.map(async i => { results[i] = await runLoad(hubs[i].origin, requests[i], connections) }))
      }
      const cpu = hubs.map((hub, i) => ((cpuMs(hub.server.pid) ?? NaN) - before[i]) / count)
      const refused = results.map(r => count - (r.statuses[202] ?? 0))
      if (refused.some(n => n > 0)) throw new Error(`round ${round}: not every Create was accepted (A ${JSON.stringify(results[0].statuses)}, B ${JSON.stringify(results[1].statuses)})`)
      ratios.push(cpu[1] / cpu[0])
      rates.push(results[1].perSecond / results[0].perSecond)
      process.stdout.write(`round ${round}: A ${cpu[0].toFixed(3)} ms, ${results[0].perSecond.toFixed(0)}/s; B ${cpu[1].toFixed(3)} ms, ${results[1].perSecond.toFixed(0)}/s; CPU B/A ${(cpu[1] / cpu[0]).toFixed(3)}\n`)
    }
    process.stdout.write(`CPU per activity B/A: median ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})\n`)
    process.stdout.write(`activities/s B/A: median ${median(rates).toFixed(3)} (${Math.min(...rates).toFixed(3)}–${Math.max(...rates).toFixed(3)})\n`)
  } finally {
    for (const hub of hubs) await hub.server.stop()
    await peers.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch(err => { process.stderr.write(`${(err as Error).message}\n`); process.exit(1) })
