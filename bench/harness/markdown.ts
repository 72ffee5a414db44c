import type { BenchReport } from './report'
import type { Summary } from './stats'

const fmt = (n: number): string => n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
const cell = (s: Summary): string => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`
const status = (f: { target: string, met: boolean }): string => f.target === 'reported' ? '' : f.met ? 'met' : '**missed**'

/** The report as Markdown tables: what docs/performance.md shows between its bench markers. */
export function reportMarkdown (report: BenchReport): string {
  const m = report.machine
  const lines = [
    `Run of ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    'Medians with (min–max) over the counted runs, after a warm-up.',
    '',
    '| figure | hub | reference | ratio | target | |',
    '|---|---|---|---|---|---|'
  ]
  for (const c of report.comparisons) {
    lines.push(`| ${c.name} | ${cell(c.hub)} ${c.unit} | ${cell(c.reference.value)} ${c.unit} — ${c.reference.name} | ${c.ratio.toFixed(2)} | ${c.target} | ${status(c)} |`)
  }
  if (report.absolutes.length > 0) {
    lines.push('', '| figure | value | target | |', '|---|---|---|---|')
    for (const a of report.absolutes) lines.push(`| ${a.name} | ${cell(a.value)} ${a.unit} | ${a.target} | ${status(a)} |`)
  }
  if (report.notes.length > 0) {
    lines.push('')
    for (const n of report.notes) lines.push(`- ${n}`)
  }
  return lines.join('\n')
}
