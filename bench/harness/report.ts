import fs from 'fs'
import path from 'path'
import type { MachineFacts } from './machine'
import type { Summary } from './stats'

/** One figure of the hub next to its reference from the same run, and the target on their ratio. */
export interface Comparison {
  name: string
  unit: string
  hub: Summary
  reference: { name: string, value: Summary }
  /** hub median / reference median (or reference / hub for lower-is-better figures). */
  ratio: number
  target: string
  met: boolean
}

/** A figure with no reference (absolute targets: seconds, megabytes). */
export interface Absolute {
  name: string
  unit: string
  value: Summary
  target: string
  met: boolean
}

/** Everything one `npm run bench` measured. */
export interface BenchReport {
  startedAt: string
  machine: MachineFacts
  comparisons: Comparison[]
  absolutes: Absolute[]
  notes: string[]
}

const fmt = (n: number): string => n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
const range = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`

/** Prints the report as a table a person can read. */
export function printReport (report: BenchReport, write: (line: string) => void = line => process.stdout.write(line + '\n')): void {
  const m = report.machine
  write(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`)
  write('Medians with (min–max) over the counted runs, after a warm-up.')
  write('')
  for (const c of report.comparisons) {
    write(`${c.name}`)
    write(`  hub:       ${range(c.hub)} ${c.unit}`)
    write(`  reference: ${range(c.reference.value)} ${c.unit}  [${c.reference.name}]`)
    write(`  ratio:     ${c.ratio.toFixed(2)}  ${verdict(c)}`)
  }
  for (const a of report.absolutes) {
    write(`${a.name}: ${range(a.value)} ${a.unit}  ${verdict(a)}`)
  }
  for (const note of report.notes) write(`note: ${note}`)
}

/** Writes the report as JSON under bench/results/ (a dated file and latest.json). */
export function writeReport (report: BenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`)
  const json = JSON.stringify(report, null, 2) + '\n'
  fs.writeFileSync(file, json)
  fs.writeFileSync(path.join(dir, 'latest.json'), json)
  return file
}

/** "target … met/MISSED", or "(reported)" for a figure shown without a target. */
export function verdict (figure: { target: string, met: boolean }): string {
  if (figure.target === 'reported') return '(reported, no target)'
  return `target ${figure.target}  ${figure.met ? 'met' : 'MISSED'}`
}
