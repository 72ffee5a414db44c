/**
 * Copies the figures of bench/results/latest.json into docs/performance.md, between the
 * `<!-- bench:start -->` and `<!-- bench:end -->` markers. Run after `npm run bench`:
 * `node dist-bench/bench/update-docs.js`.
 */
import fs from 'fs'
import path from 'path'
import { reportMarkdown } from './harness/markdown'
import type { BenchReport } from './harness/report'

const ROOT = path.resolve(__dirname, '..', '..')
const doc = path.join(ROOT, 'docs', 'performance.md')
const report = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchReport
const text = fs.readFileSync(doc, 'utf8')
const start = text.indexOf('<!-- bench:start -->')
const end = text.indexOf('<!-- bench:end -->')
if (start < 0 || end < start) throw new Error(`${doc} has no <!-- bench:start --> … <!-- bench:end --> section`)
fs.writeFileSync(doc, `${text.slice(0, start)}<!-- bench:start -->\n${reportMarkdown(report)}\n${text.slice(end)}`)
process.stdout.write(`docs/performance.md now shows the run of ${report.startedAt}\n`)
