/**
 * The data folder holds every co-op's private key (in hub.sqlite and its WAL), the admin token
 * and backups: only the user the hub runs as may read them. Modes are set explicitly, whatever
 * the umask. SQLite gives the `-wal`, `-shm` and journal files it creates (also later, after a
 * checkpoint removed them) the mode of the database file, so a database created 0600 keeps
 * them 0600.
 */
import fs from 'node:fs'
import path from 'node:path'

/** Mode of the data folder: owner only. */
export const PRIVATE_DIR_MODE = 0o700
/** Mode of every file in it and of every backup: owner read and write. */
export const PRIVATE_FILE_MODE = 0o600

/** Creates `dir` (and missing parents) 0700 if missing; an existing folder is left as it is. */
export function ensurePrivateDir (dir: string): void {
  if (fs.existsSync(dir)) return
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  fs.chmodSync(dir, PRIVATE_DIR_MODE)
}

/** Creates `file` empty and 0600 if missing (before SQLite opens it); an existing file is left as it is. */
export function ensurePrivateFile (file: string): void {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return
    throw err
  }
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE)
  } finally {
    fs.closeSync(fd)
  }
}

/** A file or folder that others than its owner may read or write. */
export interface LoosePermission {
  path: string
  /** The mode found, as octal text, e.g. `755`. */
  mode: string
  /** The mode it should have, as octal text. */
  expected: string
}

/** The data folder and the files directly in it whose mode lets group or others in. */
export function loosePermissions (dataDir: string): LoosePermission[] {
  const found: LoosePermission[] = []
  const check = (p: string, expected: number): void => {
    let mode: number
    try {
      mode = fs.statSync(p).mode & 0o777
    } catch {
      return
    }
    if ((mode & 0o077) !== 0) found.push({ path: p, mode: mode.toString(8), expected: expected.toString(8) })
  }
  check(dataDir, PRIVATE_DIR_MODE)
  let entries: fs.Dirent[] = []
  try {
    entries = fs.readdirSync(dataDir, { withFileTypes: true })
  } catch {
    return found
  }
  for (const entry of entries) {
    if (entry.isFile()) check(path.join(dataDir, entry.name), PRIVATE_FILE_MODE)
  }
  return found
}
