/**
 * The Internet of Ownership sheet's rows to directory records. The row mapping itself is the
 * directory's (`src/directory/sources/ioo-directory.ts`, also used for file imports); this adds
 * what a configured source needs: its own provenance name and URL, and rejected rows counted.
 */
import { iooEntry, isConfigurationRow } from '../../../directory/sources/ioo-directory'
import type { MappingContext, MappingResult } from '../source-adapter'

/** Maps rows (keyed by the sheet's column headers) to records; nameless and duplicate rows are rejected. */
export function mapIooRows (rows: Array<Record<string, unknown>>, context: MappingContext): MappingResult {
  const result: MappingResult = { entries: [], rejected: [], unavailable: [] }
  const seen = new Set<string>()
  rows.forEach((row, index) => {
    if (isConfigurationRow(row)) return
    const entry = iooEntry(row)
    if (!entry) {
      result.rejected.push({ key: `row ${index + 1}`, reason: 'it has no Name' })
      return
    }
    if (seen.has(entry.sourceId)) {
      result.rejected.push({ key: entry.sourceId, reason: `a second row is named "${entry.name}"` })
      return
    }
    seen.add(entry.sourceId)
    // Personal addresses are never kept; the directory's mapping takes none, and this makes sure.
    delete entry.contact
    result.entries.push({ ...entry, source: context.source, url: context.sourceUrl })
  })
  return result
}
