import { parse } from 'csv-parse/sync'
import { SourceFormatError } from '../source-error'
import type { DocumentNode, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'
import { mapIooRows } from './ioo.mapping'

/** The columns without which a CSV is not the IoO sheet (another sheet, an error page). */
const REQUIRED_COLUMNS = ['name', 'website', 'category']

/** The Internet of Ownership directory as its Google Sheet's CSV export. */
export const iooCsvAdapter: SourceAdapter = {
  format: 'ioo-csv',
  description: 'Internet of Ownership directory: the Google Sheets CSV export',
  defaultName: 'ioo.coop/directory',
  accept: () => 'text/csv, text/plain;q=0.5',
  contentTypes: () => ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'],
  singleDocument: true,

  parse (document: SourceDocument): ParsedDocument {
    let rows: Array<Record<string, string>>
    try {
      // Strict column count: a row cut short (a truncated export) fails the whole document.
      rows = parse(document.body, { columns: true, bom: true, skip_empty_lines: true, trim: false })
    } catch (err) {
      throw new SourceFormatError(`${document.url} is not readable CSV: ${(err as Error).message}`)
    }
    const headers = new Set(Object.keys(rows[0] ?? {}).map(h => h.replace(/\s+/g, ' ').trim().toLowerCase()))
    const missing = REQUIRED_COLUMNS.filter(c => !headers.has(c))
    if (rows.length === 0 || missing.length) {
      throw new SourceFormatError(`${document.url} is not the IoO directory sheet: ${rows.length === 0 ? 'it has no rows' : `it lacks the column(s) ${missing.join(', ')}`}`)
    }
    return { data: rows, children: [] }
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    return mapIooRows(root.data as Array<Record<string, unknown>>, context)
  }
}
