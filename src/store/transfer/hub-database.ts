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

/**
 * Tables that are the running processes' own state, not data: never copied, never compared. The
 * change stamps only tell the processes on this store what changed since they last read it.
 */
export const RUNTIME_TABLES = ['hub_processes', 'change_stamps']

/**
 * The tables whose rows are the hub's data, in the order a copy writes them: every table but
 * SQLite's own, the migration record, the runtime tables and the shadow tables of full-text
 * indexes (a virtual table is copied through itself). Creation order, except that a table a
 * trigger writes to (a collection's count) comes after the table the trigger is on: a copy
 * empties each table before it writes it, so what triggers wrote while earlier tables were
 * copied gives way to the source's rows.
 */
export function copiedTables (db: Database.Database): string[] {
  const all = db.prepare<[], { name: string, sql: string | null }>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").all()
  const virtual = all.filter(t => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map(t => t.name)
  const tables = all.map(t => t.name).filter(name =>
    !name.startsWith('sqlite_') && name !== 'schema_migrations' && !RUNTIME_TABLES.includes(name) &&
    !virtual.some(v => name.startsWith(`${v}_`)))
  return afterTheirTriggers(tables, triggerWrites(db))
}

/** For each table a trigger is on, the other tables its body inserts into or updates. */
function triggerWrites (db: Database.Database): Map<string, Set<string>> {
  const writes = new Map<string, Set<string>>()
  for (const t of db.prepare<[], { table_name: string, sql: string }>("SELECT tbl_name AS table_name, sql FROM sqlite_master WHERE type = 'trigger'").all()) {
    const body = t.sql.slice(t.sql.search(/\bBEGIN\b/i))
    // `INSERT [OR …] INTO t` and `UPDATE [OR …] t`; an upsert's `DO UPDATE SET` names no table.
    for (const match of body.matchAll(/\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|(?<!\bDO\s+)UPDATE(?:\s+OR\s+\w+)?)\s+"?(\w+)"?/gi)) {
      if (match[1] === t.table_name) continue
      const written = writes.get(t.table_name) ?? new Set<string>()
      written.add(match[1])
      writes.set(t.table_name, written)
    }
  }
  return writes
}

/** `tables` in their order, each moved after every table whose triggers write to it. */
function afterTheirTriggers (tables: string[], writes: Map<string, Set<string>>): string[] {
  const ordered: string[] = []
  const placing = new Set<string>()
  const place = (table: string): void => {
    if (ordered.includes(table) || placing.has(table)) return
    placing.add(table)
    for (const [on, written] of writes) if (written.has(table) && tables.includes(on)) place(on)
    ordered.push(table)
  }
  for (const table of tables) place(table)
  return ordered
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
