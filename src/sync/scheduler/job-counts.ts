import type { JobCounts } from '../../store/ports/jobs.port'

/** Counts that are all zero. */
export function zeroCounts (): JobCounts {
  return { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }
}

/** The sum of several parts' counts. */
export function addCounts (...parts: Array<Partial<JobCounts>>): JobCounts {
  const total = zeroCounts()
  for (const part of parts) {
    for (const key of Object.keys(total) as Array<keyof JobCounts>) total[key] += part[key] ?? 0
  }
  return total
}

/** "12 added, 3 changed, …" for people. */
export function describeCounts (counts: JobCounts): string {
  return `${counts.added} added, ${counts.changed} changed, ${counts.unchanged} unchanged, ${counts.gone} gone, ${counts.rejected} rejected`
}
