/**
 * The instructions an inbox runs per activity, counted by valgrind's callgrind rather than timed:
 * the server runs under `valgrind --tool=callgrind` uninstrumented through its start and a
 * warm-up load, is instrumented for `--count` signed Creates at `--connections`, and the
 * instructions of its main thread and of all its threads are divided by the count. A count moves
 * by a few tenths of a per cent from run to run whatever else the machine does, where the time of
 * a round moves by up to a tenth on this machine: two builds compare in one run each
 * (docs/performance.md, "Instructions per activity"). It counts user-space instructions only,
 * not the kernel's work in system calls, and runs 50–100 times slower than the server alone.
 * `node dist-bench/bench/profile/inbound-instructions.js [--target hub|ideal|lean]
 * [--root ../other-checkout (the hub built there)] [--warm 3000] [--count 2000] [--connections 10]`; needs valgrind.
 */
import { execFileSync } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { parseArgs } from 'util'
import { runLoad } from '../harness/load'
import type { ChildRunOptions, ChildServer } from '../support/child-server'
import { startChild } from '../support/child-server'
import { coopCreates, startCoopInboxHub } from '../support/coop-inbox-hub'
import { RemotePeers } from '../support/remote-peers'

const TARGETS = ['hub', 'ideal', 'lean']

/** The instructions of each thread callgrind wrote a file for (`<out>-01` is the main thread). */
function instructionsByThread (outFile: string): Map<number, number> {
  const dir = path.dirname(outFile)
  const prefix = `${path.basename(outFile)}-`
  const threads = new Map<number, number>()
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue
    const totals = /^totals: (\d+)$/m.exec(fs.readFileSync(path.join(dir, name), 'utf8'))
    if (totals !== null) threads.set(Number(name.slice(prefix.length)), Number(totals[1]))
  }
  return threads
}

/** Switches callgrind's instrumentation of the process on or off. */
function instrument (pid: number, on: boolean): void {
  execFileSync('callgrind_control', ['--instr=' + (on ? 'on' : 'off'), String(pid)], { stdio: 'ignore' })
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'hub' },
      root: { type: 'string' },
      warm: { type: 'string', default: '3000' },
      count: { type: 'string', default: '2000' },
      connections: { type: 'string', default: '10' }
    }
  })
  const target = values.target ?? 'hub'
  if (!TARGETS.includes(target)) throw new Error(`--target takes ${TARGETS.join(', ')}; got "${target}"`)
  const [warm, count, connections] = [values.warm, values.count, values.connections].map(Number)
  if (![warm, count, connections].every(n => Number.isInteger(n) && n > 0)) throw new Error('--warm, --count and --connections take positive integers')
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' })
  } catch {
    throw new Error('valgrind is not installed: this tool runs the server under valgrind --tool=callgrind (Debian: apt install valgrind)')
  }
  const root = values.root === undefined ? undefined : path.resolve(values.root)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-instructions-'))
  const outFile = path.join(dir, 'callgrind.out')
  const run: ChildRunOptions = {
    // Uninstrumented until the measured load; one file per thread; JIT code checked for changes.
    wrapper: ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${outFile}`],
    startTimeoutMs: 600_000
  }
  const peers = await new RemotePeers().start(200)
  let server: ChildServer | undefined
  try {
    let origin: string
    if (target === 'hub') {
      const hub = await startCoopInboxHub(path.join(dir, 'hub'), { root, run })
      server = hub.server
      origin = hub.origin
    } else {
      server = await startChild(path.join(__dirname, '..', 'references', `${target}-inbox.js`), { BENCH_DB: path.join(dir, `${target}.sqlite`) }, undefined, [], run)
      origin = server.origin
    }
    const started = server
    await runLoad(origin, coopCreates(peers, origin, warm), connections)
    const result = await runLoad(origin, coopCreates(peers, origin, count), connections, () => instrument(started.pid, true))
    instrument(started.pid, false)
    await started.stop()
    server = undefined
    const threads = instructionsByThread(outFile)
    const main = threads.get(1)
    if (main === undefined) throw new Error(`callgrind wrote no count for the main thread in ${dir}`)
    const all = [...threads.values()].reduce((a, b) => a + b, 0)
    const statuses = JSON.stringify(result.statuses)
    process.stdout.write(`${target}${root === undefined ? '' : ` (${root})`}: ${count} Creates at ${connections} connections after ${warm}, statuses ${statuses}\n`)
    process.stdout.write(`instructions per activity: main thread ${Math.round(main / count)}, all threads ${Math.round(all / count)}\n`)
    fs.rmSync(dir, { recursive: true, force: true })
  } finally {
    await server?.stop()
    await peers.stop()
  }
}

main().catch(err => { process.stderr.write(`${(err as Error).message}\n`); process.exit(1) })
