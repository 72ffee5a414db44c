/**
 * `npm run bench`: every benchmark, each figure next to a reference measured in the same run on
 * the same machine. Prints a table and writes bench/results/latest.json. `--only inbound,fanout`
 * runs a subset (inbound, fanout, fanout-scale, processes, postgres, sync, directory, mixed, memory).
 */
import path from 'path'
import { machineFacts } from './harness/machine'
import { BenchReport, printReport, writeReport } from './harness/report'
import { inboundBenchmark } from './inbound.bench'
import { inboundWriteFloor } from './inbound-write-floor'
import { inboundAtScaleBenchmark } from './inbound-at-scale.bench'
import { fanoutBenchmark } from './fanout.bench'
import { fanoutScaleBenchmark } from './fanout-scale.bench'
import { directoryBenchmarks } from './directory.bench'
import { stopSharedRemotePeers } from './support/remote-peers'
import { processesBenchmark } from './processes.bench'
import { postgresBenchmark } from './postgres.bench'

const ROOT = path.resolve(__dirname, '..', '..')

async function main (): Promise<void> {
  const onlyArg = process.argv.indexOf('--only')
  const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null
  const runs = { warmups: 1, runs: 3 }
  const log = (line: string): void => { process.stderr.write(`${line}\n`) }
  const report: BenchReport = { startedAt: new Date().toISOString(), machine: machineFacts(), comparisons: [], absolutes: [], notes: [] }
  if (!only || only.has('inbound')) report.comparisons.push(...await inboundBenchmark(runs, log))
  if (!only || only.has('inbound') || only.has('inbound-floor')) report.comparisons.push(...await inboundWriteFloor(runs, log))
  if (!only || only.has('inbound-at-scale')) { const s = await inboundAtScaleBenchmark(runs, log); report.comparisons.push(...s.comparisons); report.notes.push(...s.notes) }
  if (!only || only.has('fanout')) { const f = await fanoutBenchmark(runs, log); report.comparisons.push(...f.comparisons); report.notes.push(...f.notes) }
  if (!only || only.has('fanout-scale')) { const f = await fanoutScaleBenchmark(runs, log); report.absolutes.push(...f.absolutes); report.notes.push(...f.notes) }
  if (!only || only.has('processes')) { const p = await processesBenchmark(runs, log); report.comparisons.push(...p.comparisons); report.notes.push(...p.notes) }
  if (!only || only.has('postgres')) { const p = await postgresBenchmark(runs, log); report.comparisons.push(...p.comparisons); report.notes.push(...p.notes) }
  // sync fills the hubs that directory, mixed and memory measure: any of them runs it.
  const directoryParts = new Set(['sync', 'directory', 'mixed', 'memory'].filter(p => !only || only.has(p)))
  if (directoryParts.size > 0) {
    const d = await directoryBenchmarks(runs, log, directoryParts)
    report.comparisons.push(...d.comparisons)
    report.absolutes.push(...d.absolutes)
    report.notes.push(...d.notes)
  }
  await stopSharedRemotePeers()
  report.notes.push(`the whole run took ${((Date.now() - Date.parse(report.startedAt)) / 60000).toFixed(1)} minutes (after the build)`)
  printReport(report)
  const file = writeReport(report, path.join(ROOT, 'bench', 'results'))
  process.stdout.write(`\nResults written to ${path.relative(ROOT, file)} and bench/results/latest.json\n`)
}

main().catch(err => {
  process.stderr.write(`Benchmark failed: ${(err as Error).stack}\n`)
  process.exit(1)
})
