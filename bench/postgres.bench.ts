import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Comparison } from './harness/report'
import type { Summary } from './harness/stats'
import { runLoad } from './harness/load'
import { repeat, RepeatOptions } from './harness/repeat'
import { benchPostgres, BenchPostgres } from './support/bench-postgres'
import { HubCluster, startHubCluster } from './support/hub-cluster'
import { RemotePeers, sharedRemotePeers } from './support/remote-peers'
import { SinkHosts } from './support/sink-hosts'

const PER_RUN = 600
const CONCURRENCY = 30
const HOSTS = 100
const PER_HOST = 10
const INBOXES = HOSTS * PER_HOST

/** One way of running the hub: its store and how many processes share it. */
interface Setup {
  name: string
  processes: number
  store: 'sqlite' | 'postgres'
}

const SETUPS: Setup[] = [
  { name: 'SQLite, one process', processes: 1, store: 'sqlite' },
  { name: 'PostgreSQL, one process', processes: 1, store: 'postgres' },
  { name: 'PostgreSQL, three processes', processes: 3, store: 'postgres' }
]

/** The co-op every setup publishes as: its actor id and API token. */
interface Coop { id: string, token: string }

interface SetupFigures {
  inbound: Record<'perSecond' | 'p50' | 'p99', Summary>
  fanout: Record<'perSecond', Summary>
}

/**
 * Starts a setup behind the round-robin proxy (every setup, one process too, so the proxy's cost
 * is in every figure): each process its own DATA_DIR, one co-op.
 */
async function startSetup (setup: Setup, dir: string, postgres: BenchPostgres | null): Promise<{ cluster: HubCluster, coop: Coop }> {
  const env: Record<string, string> = {}
  if (setup.store === 'postgres') {
    if (!postgres) throw new Error('no PostgreSQL server')
    env.HUB_DATABASE_URL = await postgres.createDatabase()
  }
  // On SQLite the processes would share DATA_DIR (its hub.sqlite); this benchmark runs one there.
  const cluster = await startHubCluster({ count: setup.processes, dataDirOf: i => path.join(dir, `process-${i}`), env })
  try {
    return { cluster, coop: await cluster.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201) as Coop }
  } catch (err) {
    await cluster.stop()
    throw err
  }
}

/** Signed Creates per second into the setup, with their latency (as the inbound and processes benchmarks send them). */
async function measureInbound (cluster: HubCluster, setup: Setup, peers: RemotePeers, options: RepeatOptions): Promise<SetupFigures['inbound']> {
  const inbox = `${cluster.origin}/u/coop/inbox`
  const recipient = `${cluster.origin}/u/coop`
  // First sight of every actor (key fetch) happens here, before anything is counted.
  const first = await runLoad(cluster.origin, peers.prepareCreates(inbox, recipient, peers.actors.length), CONCURRENCY)
  if (first.failed > 0) throw new Error(`${setup.name} refused ${first.failed} warm-up activities: ${JSON.stringify(first.statuses)}\n${cluster.hubs[0].output().slice(-2000)}`)
  return await repeat(options, async () => {
    const result = await runLoad(cluster.origin, peers.prepareCreates(inbox, recipient, PER_RUN), CONCURRENCY)
    if (result.failed > 0) throw new Error(`${setup.name} refused ${result.failed} of ${PER_RUN}: ${JSON.stringify(result.statuses)}`)
    return { perSecond: result.perSecond, p50: result.p50Ms, p99: result.p99Ms }
  })
}

/** One Update of a hosted service to every sink inbox, timed from the API call to the last 202 (as the fan-out benchmark). */
async function measureFanout (cluster: HubCluster, coop: Coop, setup: Setup, sinks: SinkHosts, options: RepeatOptions): Promise<SetupFigures['fanout']> {
  const accepted = sinks.count('Accept')
  const follows = await runLoad(cluster.origin, sinks.prepareFollows(`${cluster.origin}/u/coop/inbox`, coop.id), 10)
  if (follows.failed > 0) throw new Error(`${setup.name} refused ${follows.failed} follows: ${JSON.stringify(follows.statuses)}`)
  await sinks.waitFor('Accept', accepted + INBOXES)
  const put = async (description: string): Promise<void> => {
    const res = await fetch(`${cluster.origin}/api/v1/coops/coop/services/files`, {
      method: 'PUT', headers: { authorization: `Bearer ${coop.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Files', category: 'file-hosting', url: 'https://files.example', access: 'members', summary: description })
    })
    if (!res.ok) throw new Error(`PUT service: ${res.status} ${await res.text()}`)
  }
  // The Create opens the hubs' connections to every host, as running hubs have them: it is the
  // warm-up (a whole fan-out), so the counted runs follow it directly and the benchmark stays short.
  const created = sinks.count('Create')
  await put('first')
  await sinks.waitFor('Create', created + INBOXES)
  let version = 0
  return await repeat({ warmups: 0, runs: options.runs }, async () => {
    const before = sinks.count('Update')
    const started = process.hrtime.bigint()
    await put(`version ${++version}`)
    await sinks.waitFor('Update', before + INBOXES)
    return { perSecond: INBOXES / (Number(process.hrtime.bigint() - started) / 1e9) }
  })
}

function ratioTo (name: string, unit: string, figure: Summary, sqlite: Summary): Comparison {
  return { name, unit, hub: figure, reference: { name: 'SQLite, one process, same run', value: sqlite }, ratio: figure.median / sqlite.median, target: 'reported', met: true }
}

/**
 * The hub on PostgreSQL against the hub on SQLite, in the same run: inbound signed activities
 * and a fan-out to 1,000 inboxes on one process on SQLite, one on PostgreSQL and three on
 * PostgreSQL behind the round-robin proxy (docs/scaling.md, "Several machines on PostgreSQL").
 * Recorded, not pass/fail. Without PostgreSQL on the machine it is skipped with a note.
 */
export async function postgresBenchmark (options: RepeatOptions, log: (line: string) => void): Promise<{ comparisons: Comparison[], notes: string[] }> {
  const postgres = await benchPostgres()
  if ('skipped' in postgres) {
    log(`postgres: skipped, ${postgres.skipped}`)
    return { comparisons: [], notes: [`postgres: not measured, no PostgreSQL server: ${postgres.skipped}`] }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-postgres-'))
  const figures = new Map<Setup, SetupFigures>()
  let sinks: SinkHosts | null = null
  try {
    log('postgres: remote actors and sink hosts')
    const peers = await sharedRemotePeers()
    sinks = await new SinkHosts().start(HOSTS, PER_HOST)
    for (const [n, setup] of SETUPS.entries()) {
      const started = Date.now()
      const { cluster, coop } = await startSetup(setup, path.join(dir, `setup-${n}`), postgres)
      try {
        log(`postgres: ${setup.name}, inbound, ${CONCURRENCY} connections`)
        const inbound = await measureInbound(cluster, setup, peers, options)
        log(`postgres: ${setup.name}, fan-out to ${INBOXES} inboxes`)
        const fanout = await measureFanout(cluster, coop, setup, sinks, options)
        figures.set(setup, { inbound, fanout })
      } finally {
        await cluster.stop()
      }
      log(`postgres: ${setup.name} took ${((Date.now() - started) / 1000).toFixed(0)} s`)
    }
  } finally {
    await sinks?.stop()
    await postgres.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const [sqlite, ...others] = SETUPS
  const base = figures.get(sqlite) as SetupFigures
  const comparisons = others.flatMap(setup => {
    const f = figures.get(setup) as SetupFigures
    return [
      ratioTo(`inbound on ${setup.name}, ${CONCURRENCY} connections through the proxy`, 'activities/s', f.inbound.perSecond, base.inbound.perSecond),
      ratioTo(`inbound latency p99 on ${setup.name}`, 'ms', f.inbound.p99, base.inbound.p99),
      ratioTo(`fan-out on ${setup.name}: one Update to ${INBOXES} inboxes on ${HOSTS} hosts`, 'deliveries/s', f.fanout.perSecond, base.fanout.perSecond)
    ]
  })
  return {
    comparisons,
    notes: [
      `postgres: PostgreSQL was ${postgres.description}, on the same machine; every setup behind the same round-robin proxy, each process with its own DATA_DIR`,
      `postgres: measured on ${os.cpus().length} cores shared by the load generator, the proxy, the hubs and the database`
    ]
  }
}
