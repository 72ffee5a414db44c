import fs from 'fs'
import { ValidationError } from '../../errors/app-errors'
import type { DirectoryRepository, ImportReport } from '../../store/ports/directory.port'
import { iooEntries, IooRow, IOO_SOURCE } from './ioo-directory'

/** Options of a file import. */
export interface FileImportOptions {
  /** Which version of the source the file is (e.g. the commit it was copied from). */
  snapshot?: string
  /** Mark the source's records that the file no longer has as gone (default true: the file is the whole source). */
  markMissingGone?: boolean
}

/**
 * Loads an IoO directory export (the JSON array of spreadsheet rows) into the directory as one
 * import run of the `ioo.coop/directory` source. The entry point tests and a later scheduled
 * importer use; no CLI involved.
 */
export async function importIooDirectoryFile (directory: DirectoryRepository, file: string, options: FileImportOptions = {}): Promise<ImportReport> {
  let rows: unknown
  try {
    rows = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ValidationError(`Cannot read the directory file ${file}: ${(err as Error).message}`, { file: 'must be a readable JSON file' })
  }
  if (!Array.isArray(rows) || rows.some(r => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new ValidationError(`The directory file ${file} must hold a JSON array of row objects`, { file: 'must be an array of objects' })
  }
  const entries = iooEntries(rows as IooRow[], options.snapshot)
  return directory.importBatch(IOO_SOURCE, entries, { markMissingGone: options.markMissingGone ?? true })
}
