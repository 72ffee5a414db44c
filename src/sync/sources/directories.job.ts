import type { SourceRepository } from '../../store/ports/sync-sources.port'
import { addCounts } from '../scheduler/job-counts'
import { Job, JobContext, JobOutput, outputOfParts } from '../scheduler/job'
import type { SourceImporter, SourceImportResult } from './source-importer'

/**
 * The `directories` job: imports every enabled source, one after the other. A scheduled run
 * leaves sources that are backing off alone; a run a person starts tries them anyway.
 * Option `source` limits a run to one source; `force` re-imports unchanged content and allows
 * marking most of a source's records gone.
 */
export function directoriesJob (sources: SourceRepository, importer: SourceImporter): Job {
  return {
    name: 'directories',
    description: 'Import each enabled directory source (Internet of Ownership, other directories, sibling feeds)',
    async run (context: JobContext): Promise<JobOutput> {
      const only = context.options.source
      const all = await sources.list()
      const chosen = only ? all.filter(s => s.id === only) : all.filter(s => s.enabled)
      if (only && chosen.length === 0) return { outcome: 'failed', counts: addCounts(), error: `There is no source "${only}"`, details: [] }
      const results: SourceImportResult[] = []
      for (const [i, source] of chosen.entries()) {
        context.progress({ done: i, total: chosen.length, label: source.id })
        results.push(await importer.importSource(source, {
          ignoreBackoff: context.trigger === 'manual',
          force: context.options.force === '1',
          onDocument: (done, known) => context.progress({ done: i + Math.min(done / Math.max(known, 1), 0.99), total: chosen.length, label: `${source.id} (${done}/${known} documents)` })
        }))
      }
      context.progress({ done: chosen.length, total: chosen.length, label: 'done' })
      return outputOfParts(results, r => r.counts, r => r.outcome === 'failed' ? `${r.source}: ${r.error}` : null)
    }
  }
}
