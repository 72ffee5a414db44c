import type { SourceEntry } from '../../src/store/ports/directory.port'
import type { HubStore } from '../../src/store/store.port'

const SOURCE = 'bench.example/directory'
const COUNTRIES = ['DE', 'FR', 'ES', 'IT', 'NL', 'BE', 'PT', 'AT', 'SE', 'FI']
const TAGS = ['cooperative', 'libre software', 'privacy', 'web hosting', 'email', 'nonprofit']

/**
 * `count` imported directory records of one source, the same on every run; `revision` changes
 * the summary of every tenth record (a re-import that finds some records changed).
 */
export function importRecords (count: number, revision = 0): SourceEntry[] {
  return Array.from({ length: count }, (_v, i) => ({
    source: SOURCE,
    kind: 'imported' as const,
    sourceId: `cloud-${i}`,
    website: `https://cloud-${i}.example.org`,
    name: `Cloud co-op ${i}`,
    status: i % 20 === 0 ? 'paused' as const : 'active' as const,
    summary: `A member-owned cloud in town ${i % 5000}${i % 10 === 0 && revision > 0 ? `, revision ${revision}` : ''}.`,
    tags: [TAGS[i % TAGS.length], TAGS[(i * 7) % TAGS.length]].filter((t, n, all) => all.indexOf(t) === n),
    location: { locality: `Town ${i % 5000}`, country: COUNTRIES[i % COUNTRIES.length] },
    url: 'https://bench.example/directory.json'
  }))
}

/** Seconds of the first import of `count` records, of the same records again (unchanged), and of a tenth changed. */
export async function timeDirectoryImport (store: HubStore, count: number): Promise<Record<'first' | 'unchanged' | 'tenthChanged', number>> {
  const timed = async (entries: SourceEntry[], expectAdded: number): Promise<number> => {
    const started = process.hrtime.bigint()
    const report = await store.directory.importBatch(SOURCE, entries, { markMissingGone: true })
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    if (report.added !== expectAdded) throw new Error(`the import added ${report.added} records, not ${expectAdded}: ${JSON.stringify(report)}`)
    return seconds
  }
  const first = await timed(importRecords(count), count)
  const unchanged = await timed(importRecords(count), 0)
  const tenthChanged = await timed(importRecords(count, 1), 0)
  return { first, unchanged, tenthChanged }
}
