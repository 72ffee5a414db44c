/**
 * What the hub allocates per received activity, and where: starts the hub with
 * `allocation-sampler.js` loaded, sends a warm-up, starts the sampling afresh, sends `count`
 * signed Creates at `concurrency`, stops the hub and prints the sampled allocation per function
 * (KB per activity), largest first. Garbage collection costs what is allocated, so this is where
 * to look when the CPU profile shows much of it.
 * `node dist-bench/bench/profile/profile-allocations.js [concurrency] [count] [lines]`
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { runLoad } from '../harness/load'
import { coopCreates, startCoopInboxHub } from '../support/coop-inbox-hub'
import { RemotePeers } from '../support/remote-peers'
import { moduleOf } from './cpu-profile-summary'

/** A node of V8's sampling heap profile. */
interface AllocationNode {
  callFrame: { functionName: string, url: string, lineNumber: number }
  selfSize: number
  children: AllocationNode[]
}

/** Bytes allocated per function (name, module and line), summed over the profile's tree. */
export function allocationsByFunction (head: AllocationNode): Map<string, number> {
  const byFunction = new Map<string, number>()
  const pending = [head]
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName === '' ? '(anonymous)' : functionName} ${moduleOf(url)}:${lineNumber + 1}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize)
    pending.push(...node.children)
  }
  return byFunction
}

async function main (): Promise<void> {
  const concurrency = Number(process.argv[2] ?? 5)
  const count = Number(process.argv[3] ?? 3000)
  const lines = Number(process.argv[4] ?? 30)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-allocations-'))
  const profileFile = path.join(dir, 'allocations.heapprofile')
  const peers = await new RemotePeers().start(200)
  const hub = await startCoopInboxHub(path.join(dir, 'data'), {
    env: { ALLOCATION_PROFILE: profileFile },
    nodeArgs: ['--require', path.join(__dirname, 'allocation-sampler.js')]
  })
  try {
    await runLoad(hub.origin, coopCreates(peers, hub.origin, 400), concurrency)
    const requests = coopCreates(peers, hub.origin, count)
    process.kill(hub.server.pid, 'SIGUSR2')
    const result = await runLoad(hub.origin, requests, concurrency)
    process.stdout.write(`${result.perSecond.toFixed(0)} activities/s, statuses ${JSON.stringify(result.statuses)}\n`)
  } finally {
    await hub.server.stop()
    await peers.stop()
  }
  // The warm-up's allocations end at the signal; the hub's stop adds a little after the load.
  const byFunction = allocationsByFunction((JSON.parse(fs.readFileSync(profileFile, 'utf8')) as { head: AllocationNode }).head)
  const total = [...byFunction.values()].reduce((a, b) => a + b, 0)
  process.stdout.write(`allocated: ${(total / count / 1024).toFixed(1)} KB per activity (sampled)\n\n`)
  for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, lines)) {
    process.stdout.write(`${(bytes / count / 1024).toFixed(2).padStart(7)} KB  ${name}\n`)
  }
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch(err => { process.stderr.write(`${(err as Error).stack ?? String(err)}\n`); process.exit(1) })
