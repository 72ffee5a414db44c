import crypto from 'crypto'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { DEFAULT_DELIVERY_CONCURRENCY } from '../src/federation/delivery/delivery-worker'
import { runLoad } from './harness/load'
import { processCpuMs } from './harness/process-cpu'
import type { Comparison } from './harness/report'
import { repeat, RepeatOptions } from './harness/repeat'
import { summarise } from './harness/stats'
import { startBenchHub } from './support/bench-hub'
import { runScript } from './support/run-script'
import { SinkHosts } from './support/sink-hosts'

const HOSTS = 100
const PER_HOST = 10
const INBOXES = HOSTS * PER_HOST

/**
 * Fan-out: one Update of a hosted service delivered by the hub to its 1,000 followers' inboxes
 * on 100 loopback hosts (no shared inboxes: 1,000 deliveries), timed from the API call until
 * the last inbox answered 202. Reference: the minimal sender posting the same bytes to the same
 * inboxes, signed, keep-alive, at the hub's delivery concurrency.
 */
export async function fanoutBenchmark (options: RepeatOptions, log: (line: string) => void): Promise<{ comparisons: Comparison[], notes: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-fanout-'))
  log(`fan-out: ${HOSTS} sink hosts with ${PER_HOST} inboxes each`)
  const sinks = await new SinkHosts().start(HOSTS, PER_HOST)
  const hub = await startBenchHub(path.join(dir, 'data'), { env: { HUB_INBOX_RATE_LIMIT: '100000000' } })
  try {
    const coop = await hub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201) as { id: string, token: string }
    log(`fan-out: ${INBOXES} remote actors follow the co-op`)
    const follows = await runLoad(hub.origin, sinks.prepareFollows(`${hub.origin}/u/coop/inbox`, coop.id), 10)
    if (follows.failed > 0) throw new Error(`the hub refused ${follows.failed} follows: ${JSON.stringify(follows.statuses)}`)
    await sinks.waitFor('Accept', INBOXES)
    const put = async (description: string): Promise<void> => {
      const res = await fetch(`${hub.origin}/api/v1/coops/coop/services/files`, {
        method: 'PUT', headers: { authorization: `Bearer ${coop.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Files', category: 'file-hosting', url: 'https://files.example', access: 'members', summary: description })
      })
      if (!res.ok) throw new Error(`PUT service: ${res.status} ${await res.text()}`)
    }
    // The Create opens the hub's connections to every host, as a running hub has them.
    await put('first')
    await sinks.waitFor('Create', INBOXES)
    let version = 0
    let cpuPerDelivery: number[] = []
    log('fan-out: hub')
    // With BENCH_HUB_PROFILE, the window of the fan-outs (monotonic µs) for cpu-profile-summary.js.
    const window = { fromUs: Number(process.hrtime.bigint() / 1000n), toUs: 0 }
    const hubFigures = await repeat(options, async () => {
      const before = sinks.count('Update')
      const cpu0 = processCpuMs(hub.server.pid)
      const started = process.hrtime.bigint()
      await put(`version ${++version}`)
      await sinks.waitFor('Update', before + INBOXES)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const cpu1 = processCpuMs(hub.server.pid)
      if (cpu0 !== null && cpu1 !== null) cpuPerDelivery.push((cpu1 - cpu0) / INBOXES)
      return { perSecond: INBOXES / seconds }
    })
    cpuPerDelivery = cpuPerDelivery.slice(-options.runs)
    window.toUs = Number(process.hrtime.bigint() / 1000n)
    if (process.env.BENCH_HUB_PROFILE) fs.writeFileSync(path.join(process.env.BENCH_HUB_PROFILE, 'fanout-window.json'), JSON.stringify(window))

    log('fan-out: minimal sender')
    const taskFile = path.join(dir, 'sender-task.json')
    const body = sinks.lastBody.get('Update') ?? '{}'
    const key = senderKey(coop.id)
    fs.writeFileSync(taskFile, JSON.stringify({
      inboxes: sinks.actors.map(a => a.inbox), body, keyId: key.keyId, privateKeyPem: key.privateKeyPem,
      concurrency: DEFAULT_DELIVERY_CONCURRENCY, runs: options.warmups + options.runs
    }))
    const results = await runScript<{ seconds: number, failed: number }>(path.join(__dirname, 'references', 'minimal-sender.js'), { BENCH_TASK: taskFile })
    if (results.some(r => r.failed > 0)) throw new Error(`the minimal sender had failures: ${JSON.stringify(results)}`)
    const reference = summarise(results.slice(options.warmups).map(r => INBOXES / r.seconds))
    return {
      comparisons: [{
        name: `fan-out: one Update to ${INBOXES} inboxes on ${HOSTS} hosts`, unit: 'deliveries/s',
        hub: hubFigures.perSecond,
        reference: { name: `minimal sender (signs with a parsed key off the event loop, POSTs keep-alive, ${DEFAULT_DELIVERY_CONCURRENCY} in flight)`, value: reference },
        ratio: hubFigures.perSecond.median / reference.median, target: '≥ 0.6', met: hubFigures.perSecond.median >= 0.6 * reference.median
      }],
      notes: cpuPerDelivery.length > 0 ? [`fan-out: the hub process used ${summarise(cpuPerDelivery).median.toFixed(2)} ms of CPU per delivery (median over the counted runs)`] : []
    }
  } finally {
    await hub.server.stop()
    await sinks.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The minimal sender signs as the hub does, with a key of the same size: a fresh 2048-bit RSA
 * key (the hub's own private key never leaves its store). keyId names the co-op's key.
 */
function senderKey (coopId: string): { keyId: string, privateKeyPem: string } {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { keyId: `${coopId}#main-key`, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }
}
