/**
 * Consistent copies of a SQLite database file made while hub processes write to it, with
 * SQLite's online backup API: the copy is one moment of the database (a write by another
 * connection during the copy makes SQLite start the copy again).
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { ensurePrivateFile } from '../private-files'

/** Progress of a copy: pages copied of the total. */
export interface PageProgress {
  done: number
  total: number
}

/**
 * Copies `source` to `target` (written aside, then renamed into place, so a failed copy leaves
 * nothing behind). The copy is a single file in rollback-journal mode, ready to be moved.
 */
export async function backupDatabase (source: string, target: string, onProgress: (p: PageProgress) => void = () => undefined, options: { readonly?: boolean } = {}): Promise<void> {
  const aside = `${target}.partial`
  fs.rmSync(aside, { force: true })
  // The copy holds every private key: 0600 from the first byte (SQLite keeps an existing file's mode).
  ensurePrivateFile(aside)
  // Read-only for a backup file being restored (left exactly as it is); read-write for a live
  // database, whose WAL index a reader may need to create.
  const db = new Database(source, { fileMustExist: true, readonly: options.readonly === true })
  try {
    db.pragma('busy_timeout = 5000')
    let lastRemaining = Infinity
    await db.backup(aside, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress({ done: totalPages - remainingPages, total: totalPages })
        // Steps of 5 % show progress; if writes keep restarting the copy, the rest goes in one step.
        const restarted = remainingPages > lastRemaining
        lastRemaining = remainingPages
        return restarted ? 0x7fffffff : Math.max(100, Math.ceil(totalPages / 20))
      }
    })
    const copy = new Database(aside)
    try {
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    fs.renameSync(aside, target)
    onProgress({ done: 1, total: 1 })
  } catch (err) {
    fs.rmSync(aside, { force: true })
    throw err
  } finally {
    db.close()
  }
}
