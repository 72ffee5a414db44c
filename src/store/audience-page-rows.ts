import type { AudiencePage } from './ports/outbox.port'

/** A row of an audience page query: one distinct delivery target (or none) and the last membership row it covers. */
export interface AudiencePageRow {
  target: string | null
  last: number
}

/** Folds a page query's rows into the page both stores answer: its targets and how far it reached. */
export function audiencePageOf (rows: readonly AudiencePageRow[]): AudiencePage {
  let lastSeq: number | null = null
  const targets: string[] = []
  for (const row of rows) {
    if (lastSeq === null || row.last > lastSeq) lastSeq = row.last
    if (row.target !== null) targets.push(row.target)
  }
  return { targets, lastSeq }
}
