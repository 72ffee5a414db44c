/**
 * What a SQLite file holds, checked before it is restored or copied: that it is a hub database,
 * intact, at migration versions this hub knows; its tables and their row counts.
 */
import Database from 'better-sqlite3'
import { ValidationError } from '../../errors/app-errors'
import { migrations } from '../sqlite/migrations'

/** A hub database as found on disk. */
export interface HubDatabaseInfo {
  /** The migration versions applied, ascending. */
  versions: number[]
  /** Rows per copied table (see `copiedTables`). */
  counts: Record<string, number>
}

/** Tables that are the running processes' own state, not data: never copied, never compared. */
export const RUNTIME_TABLES = ['hub_processes']

/**
 * The tables whose rows are the hub's data, in creation order: every table but SQLite's own,
 * the migration record, the runtime tables and the shadow tables of full-text indexes (a
 * virtual table is copied through itself).
 */
export function copiedTables (db: Database.Database): string[] {
  const all = db.prepare<[], { name: string, sql: string | null }>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").all()
  const virtual = all.filter(t => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map(t => t.name)
  return all.map(t => t.name).filter(name =>
    !name.startsWith('sqlite_') && name !== 'schema_migrations' && !RUNTIME_TABLES.includes(name) &&
    !virtual.some(v => name.startsWith(`${v}_`)))
}

/** Rows per table of `tables`, read in the caller's transaction (one snapshot). */
export function countRows (db: Database.Database, tables: string[]): Record<string, number> {
  return Object.fromEntries(tables.map(t => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n]))
}

/** Opens `file` read-only and checks it; throws a ValidationError that says what is wrong. */
export function inspectHubDatabase (file: string): HubDatabaseInfo {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new ValidationError(`${file} cannot be opened: ${(err as Error).message}`)
  }
  try {
    db.pragma('busy_timeout = 5000')
    let hasMigrations: boolean
    try {
      hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined
    } catch {
      throw new ValidationError(`${file} is not a SQLite database`)
    }
    if (!hasMigrations) throw new ValidationError(`${file} is not a hub database (it has no schema_migrations table)`)
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') throw new ValidationError(`${file} is damaged: integrity_check says ${String(integrity)}`)
    const versions = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all().map(r => r.version)
    const known = new Set(migrations.map(m => m.version))
    const unknown = versions.filter(v => !known.has(v))
    if (unknown.length > 0) {
      throw new ValidationError(`${file} was written by a newer hub: it has migration versions ${unknown.join(', ')}, which this hub does not know. Upgrade the hub first.`)
    }
    return { versions, counts: db.transaction(() => countRows(db, copiedTables(db))).deferred() }
  } finally {
    db.close()
  }
}
