import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import type { JobRun } from '../store/ports/jobs.port'
import { describeCounts } from '../sync/scheduler/job-counts'
import type { JobProgress } from '../sync/scheduler/job'
import { SOURCE_FORMATS } from '../sync/sources/source-formats'
import type { WithHub } from './domain-block.command'

/**
 * `ioocloud-hub jobs [name]`, `ioocloud-hub sync <job>` (with a progress bar and a summary) and
 * `ioocloud-hub source add|list|enable|disable|remove`: the same as the admin API.
 */
export function addSyncCommands (program: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  program.command('jobs')
    .description('Show each scheduled job: schedule, last run, next run; with a job name, its recent runs')
    .argument('[name]', 'a job: directories, siblings, health or expiry')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, opts: { json?: boolean }) => {
      setExitCode(await withHub(async hub => {
        if (opts.json) return out(JSON.stringify({ items: name ? await hub.sync.jobs.history(name, 10) : await hub.sync.jobs.list() }, null, 2))
        if (name) {
          const runs = await hub.sync.jobs.history(name, 10)
          if (runs.length === 0) out(`${name} has not run yet.`)
          for (const run of runs) {
            out(runLine(run))
            for (const line of droppedLinkLines(run)) out(line)
          }
          return
        }
        for (const job of await hub.sync.jobs.list()) {
          out(`${job.name}: ${job.description}`)
          out(`  schedule: ${job.schedule ?? 'off (run it with: ioocloud-hub sync ' + job.name + ')'}${job.schedule ? ` (${job.timezone})` : ''}`)
          out(`  next run: ${job.nextRun ?? '-'}`)
          out(`  last run: ${job.lastRun ? runLine(job.lastRun) : 'never'}`)
          if (job.running) out(`  running now: ${job.running.holder} (lease until ${job.running.until})`)
        }
      }))
    })

  program.command('sync')
    .description('Run a job now, with a progress bar, then print a summary')
    .argument('<job>', 'directories, siblings, health or expiry')
    .option('--source <id>', 'directories: only this source')
    .option('--actor <url>', 'siblings: only this followed co-op')
    .option('--service <id>', 'health: only this service')
    .option('--force', 'directories: import even unchanged content, and accept a source that dropped most of its records')
    .action(async (job: string, opts: Record<string, string | boolean | undefined>) => {
      let code = 0
      const exit = await withHub(async hub => {
        const options = Object.fromEntries(Object.entries(opts).map(([k, v]) => [k, v === true ? '1' : v]).filter((e): e is [string, string] => typeof e[1] === 'string'))
        const bar = new cliProgress.SingleBar({ format: `${job} [{bar}] {percentage}% {label}`, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
        bar.start(100, 0, { label: 'starting' })
        const onProgress = (p: JobProgress): void => bar.update(p.total === 0 ? 100 : Math.round((p.done / p.total) * 100), { label: p.label })
        let run: JobRun
        try {
          run = await hub.sync.jobs.runNow(job, options, onProgress)
        } finally {
          bar.stop()
        }
        for (const line of summary(run)) out(line)
        code = run.outcome === 'succeeded' ? 0 : 1
      })
      setExitCode(exit === 0 ? code : exit)
    })

  const source = program.command('source').description('Manage the directory sources the directories job imports')
  source.command('add')
    .description('Add a directory source')
    .argument('<id>', 'short name, e.g. chatons')
    .argument('<format>', SOURCE_FORMATS.join(', '))
    .argument('<url>', 'where the import starts (CSV export, index query, federation file, directory.json)')
    .option('--name <name>', 'the provenance name its records carry')
    .option('--disabled', 'add it switched off')
    .action(async (id: string, format: string, url: string, opts: { name?: string, disabled?: boolean }) => {
      setExitCode(await withHub(async hub => {
        const body: Record<string, unknown> = { id, format, url }
        if (opts.name !== undefined) body.name = opts.name
        if (opts.disabled) body.enabled = false
        const added = await hub.sync.sources.add(body)
        out(`Added source ${added.id} (${added.format}, records named "${added.name}"): ${added.url}`)
      }))
    })
  source.command('list')
    .description('List directory sources with their last import')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      setExitCode(await withHub(async hub => {
        const list = await hub.sync.sources.list()
        if (opts.json) return out(JSON.stringify({ items: list }, null, 2))
        if (list.length === 0) out('No directory source is configured.')
        for (const s of list) {
          out(`${s.id}\t${s.enabled ? 'enabled' : 'disabled'}\t${s.format}\t${s.url}`)
          const last = s.lastSuccessAt ? `last imported ${s.lastSuccessAt}${s.lastCounts ? ` (${describeCounts(s.lastCounts)})` : ''}` : 'never imported'
          out(`  ${last}${s.failures ? `; ${s.failures} failure(s), next try after ${s.nextAttemptAt}: ${s.lastError}` : ''}`)
        }
      }))
    })
  for (const [command, enabled] of [['enable', true], ['disable', false]] as const) {
    source.command(command)
      .description(`${enabled ? 'Enable' : 'Disable'} a directory source`)
      .argument('<id>')
      .action(async (id: string) => {
        setExitCode(await withHub(async hub => {
          const s = await hub.sync.sources.setEnabled(id, enabled)
          out(`Source ${s.id} is ${s.enabled ? 'enabled' : 'disabled'}.`)
        }))
      })
  }
  source.command('remove')
    .description('Remove a directory source and the directory records it brought')
    .argument('<id>')
    .action(async (id: string) => {
      setExitCode(await withHub(async hub => {
        const { removedEntries } = await hub.sync.sources.remove(id)
        out(`Removed source ${id} and its ${removedEntries} directory record(s).`)
      }))
    })
}

function runLine (run: JobRun): string {
  const took = run.endedAt ? ` in ${((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : ''
  return `#${run.id} ${run.startedAt} ${run.trigger} ${run.outcome}${took}: ${describeCounts(run.counts)}${run.error ? ` — ${run.error}` : ''}`
}

/** The summary after `sync`: the run, then one line per part (source, sibling, service). */
function summary (run: JobRun): string[] {
  const lines = [`${run.job}: ${runLine(run)}`]
  for (const d of run.details as Array<Record<string, unknown>>) {
    const who = d.source ?? d.actorId ?? d.service ?? d.label
    const what = d.outcome ?? d.status ?? (typeof d.expired === 'number' ? `${d.expired} expired` : '')
    const counts = d.counts && typeof d.counts === 'object' ? ` (${describeCounts(d.counts as JobRun['counts'])})` : ''
    const problem = d.error ?? d.detail
    lines.push(`  ${String(who)}: ${String(what)}${counts}${problem ? ` — ${String(problem)}` : ''}`)
  }
  return [...lines, ...droppedLinkLines(run)]
}

/** For a directories run: per source, how many links its documents gave that could not be followed, and the first of them. */
function droppedLinkLines (run: JobRun): string[] {
  const lines: string[] = []
  for (const d of run.details as Array<{ source?: string, droppedLinks?: number, dropped?: Array<{ document: string, field: string, value: string, reason: string }> }>) {
    if (!d.droppedLinks) continue
    lines.push(`  ${String(d.source)}: ${d.droppedLinks} link(s) not followed`)
    for (const l of d.dropped ?? []) lines.push(`    ${l.document} ${l.field} = ${l.value} (${l.reason})`)
  }
  return lines
}
