/**
 * One fresh inbox under the inbound benchmark's rounds, round by round: `firstSight`, then
 * `--rounds` rounds of 1,000 signed Creates at `--connections` with the benchmark's own
 * `inboundRun`, and for each round its activities per second and, from the scheduler's counters
 * (`threadSchedules`), how long the server's main thread ran, how long it waited for a core, and
 * how long its other threads ran. The summary gives the medians of rounds 5–11 (those the inbound
 * comparison counts after its four warm-up rounds) and of the rounds after, and the main thread's
 * mean per round from round 4: the figure to compare two builds by, running fresh servers of each
 * in turn, several of each, as it moves by a few per cent from run to run (docs/performance.md,
 * "The hub beside the lean reference: by thread, by layer, round by round").
 * `node dist-bench/bench/profile/inbound-rounds.js [--target hub|ideal|apex|lean] [--rounds 16]
 * [--connections 10] [--root ../other-checkout] [--env KEY=VALUE]…`
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { parseArgs } from 'util'
import { environmentFrom } from '../harness/env-pairs'
import { threadSchedules, ThreadSchedule } from '../harness/process-cpu'
import { summarise } from '../harness/stats'
import { firstSight, INBOUND_COUNTED_ROUNDS, INBOUND_WARMUP_ROUNDS, InboxTarget, inboundRun } from '../inbound.bench'
import { startBenchHub } from '../support/bench-hub'
import { startChild } from '../support/child-server'
import { RemotePeers } from '../support/remote-peers'

const TARGETS = ['hub', 'ideal', 'apex', 'lean']

/** The rounds the inbound comparison counts (0-based, `to` excluded): after its warm-up rounds, its counted ones. */
const COUNTED = { from: INBOUND_WARMUP_ROUNDS, to: INBOUND_WARMUP_ROUNDS + INBOUND_COUNTED_ROUNDS }

/** One round's figures. */
interface Round {
  perSecond: number
  mainRunMs: number
  mainWaitMs: number
  othersRunMs: number
}

/** The main thread's and the other threads' scheduler figures between two readings, in ms. */
function between (pid: number, before: Map<number, ThreadSchedule>, after: Map<number, ThreadSchedule>): Omit<Round, 'perSecond'> {
  const main = { run: 0, wait: 0 }
  let othersRun = 0
  for (const [tid, now] of after) {
    const then = before.get(tid) ?? { runNs: 0, waitNs: 0 }
    if (tid === pid) {
      main.run = now.runNs - then.runNs
      main.wait = now.waitNs - then.waitNs
    } else {
      othersRun += now.runNs - then.runNs
    }
  }
  return { mainRunMs: main.run / 1e6, mainWaitMs: main.wait / 1e6, othersRunMs: othersRun / 1e6 }
}

/** Starts the inbox under test in `dir`. */
async function start (target: string, dir: string, root: string | undefined, env: Record<string, string>): Promise<InboxTarget> {
  if (target === 'hub') {
    const hub = await startBenchHub(path.join(dir, 'hub'), { root, env: { HUB_INBOX_RATE_LIMIT: '100000000', ...env } })
    await hub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201)
    return { name: 'hub', server: hub.server, inboxUrl: `${hub.origin}/u/coop/inbox`, recipient: `${hub.origin}/u/coop` }
  }
  const server = await startChild(path.join(__dirname, '..', 'references', `${target}-inbox.js`), { BENCH_DB: path.join(dir, `${target}.sqlite`), ...env })
  return { name: target, server, inboxUrl: `${server.origin}/u/coop/inbox`, recipient: `${server.origin}/u/coop` }
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'hub' },
      rounds: { type: 'string', default: '16' },
      connections: { type: 'string', default: '10' },
      root: { type: 'string' },
      env: { type: 'string', multiple: true }
    }
  })
  const target = values.target ?? 'hub'
  if (!TARGETS.includes(target)) throw new Error(`--target takes ${TARGETS.join(', ')}; got "${target}"`)
  const rounds = Number(values.rounds)
  const connections = Number(values.connections)
  if (![rounds, connections].every(n => Number.isInteger(n) && n > 0)) throw new Error('--rounds and --connections take positive integers')
  if (rounds <= COUNTED.to) throw new Error(`--rounds takes at least ${COUNTED.to + 1}: the summary sets rounds ${COUNTED.from + 1}–${COUNTED.to} beside the rounds after them`)
  const root = values.root === undefined ? undefined : path.resolve(values.root)
  if (root !== undefined && target === 'hub' && !fs.existsSync(path.join(root, 'dist', 'main.js'))) {
    throw new Error(`${root} has no built hub (dist/main.js): run \`node scripts/build.js\` there first`)
  }
  const env = environmentFrom(values.env, '--env')

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-rounds-'))
  const peers = await new RemotePeers().start(200)
  let inbox: InboxTarget | undefined
  try {
    inbox = await start(target, dir, root, env)
    await firstSight(inbox, peers, connections)
    const figures: Round[] = []
    process.stdout.write(`${target}${root === undefined ? '' : ` (${root})`}: ${rounds} rounds of 1,000 Creates at ${connections} connections\n`)
    process.stdout.write('round  activities/s  main thread ms: ran  waited  other threads ms: ran\n')
    for (let round = 1; round <= rounds; round++) {
      const before = threadSchedules(inbox.server.pid)
      const { perSecond } = await inboundRun(inbox, peers, connections)
      const after = threadSchedules(inbox.server.pid)
      if (before === null || after === null) throw new Error('no /proc/<pid>/task/<tid>/schedstat here: this tool reads the Linux scheduler\'s counters')
      const r = { perSecond, ...between(inbox.server.pid, before, after) }
      figures.push(r)
      process.stdout.write(`${String(round).padStart(5)}  ${r.perSecond.toFixed(0).padStart(12)}  ${r.mainRunMs.toFixed(1).padStart(19)}  ${r.mainWaitMs.toFixed(1).padStart(6)}  ${r.othersRunMs.toFixed(1).padStart(22)}\n`)
    }
    const counted = figures.slice(COUNTED.from, COUNTED.to).map(r => r.perSecond)
    const later = figures.slice(COUNTED.to).map(r => r.perSecond)
    const fromFourth = figures.slice(3)
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length
    process.stdout.write(`activities/s, median of rounds ${COUNTED.from + 1}–${COUNTED.to} (those the benchmark counts): ${summarise(counted).median.toFixed(0)}; of ${rounds > COUNTED.to + 1 ? `rounds ${COUNTED.to + 1}–${rounds}` : `round ${rounds}`}: ${summarise(later).median.toFixed(0)}\n`)
    process.stdout.write(`main thread from round 4, mean per round: ran ${mean(fromFourth.map(r => r.mainRunMs)).toFixed(1)} ms, waited ${mean(fromFourth.map(r => r.mainWaitMs)).toFixed(1)} ms\n`)
  } finally {
    await inbox?.server.stop()
    await peers.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch(err => { process.stderr.write(`${(err as Error).message}\n`); process.exit(1) })
