/**
 * The Internet of Ownership sheet's rows to directory records for a configured source. The row
 * mapping is the directory's (`src/directory/sources/ioo-directory.ts`, also used for file
 * imports); this only gives the records the source's own provenance name and URL.
 */
import { mapIooRows as mapRows } from '../../../directory/sources/ioo-directory'
import type { MappingContext, MappingResult } from '../source-adapter'

/** Maps rows (keyed by the sheet's column headers) to records; nameless and duplicate rows are rejected. */
export function mapIooRows (rows: Array<Record<string, unknown>>, context: MappingContext): MappingResult {
  const { entries, rejected } = mapRows(rows)
  return {
    // The mapping keeps no personal address at all (`contact` is never set from the sheet).
    entries: entries.map(entry => ({ ...entry, source: context.source, url: context.sourceUrl })),
    rejected,
    unavailable: []
  }
}
