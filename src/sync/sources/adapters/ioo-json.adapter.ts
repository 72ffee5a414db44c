import { ACCEPT_JSON, isObject, JSON_TYPES, parseJson } from '../mapping/json'
import { SourceFormatError } from '../source-error'
import type { DocumentNode, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'
import { mapIooRows } from './ioo.mapping'

/** The Internet of Ownership directory as a JSON array of rows keyed by column header (a conversion of the CSV export). */
export const iooJsonAdapter: SourceAdapter = {
  format: 'ioo-json',
  description: 'Internet of Ownership directory: JSON conversion of the sheet (an array of rows)',
  defaultName: 'ioo.coop/directory',
  accept: () => ACCEPT_JSON,
  contentTypes: () => JSON_TYPES,
  singleDocument: true,

  parse (document: SourceDocument): ParsedDocument {
    const data = parseJson(document)
    if (!Array.isArray(data) || data.length === 0 || !data.every(isObject)) {
      throw new SourceFormatError(`${document.url} is not the IoO directory: expected a non-empty JSON array of rows`)
    }
    if (!data.some(row => 'Name' in row || 'name' in row)) {
      throw new SourceFormatError(`${document.url} is not the IoO directory: no row has a Name`)
    }
    return { data, children: [] }
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    return mapIooRows(root.data as Array<Record<string, unknown>>, context)
  }
}
