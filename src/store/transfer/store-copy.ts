/**
 * Copies everything a hub keeps from one SQLite store to another: actors and their keys,
 * objects, streams, the delivery queue, the directory and its full-text index, jobs, tokens,
 * sources, pools, agreements... every table but the running processes' registry. The source is
 * read in one transaction (one moment, while hubs keep writing to it); the target is written in
 * one transaction and its row counts are compared with the source's, table by table.
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { ConflictError, ValidationError } from '../../errors/app-errors'
import { SqliteStore } from '../sqlite/sqlite.store'
import { copiedTables, countRows } from './hub-database'
import { LOCAL_KEYS_CHECK, sqliteLocalKeys } from './local-keys-check'

/** One table's rows in the source snapshot and in the copy, or (`check`) one kind of row across tables. */
export interface TableCount {
  table: string
  source: number
  target: number
  /** True for a count of one kind of row (see local-keys-check.ts), not a table's rows. */
  check?: true
}

/** Rows copied so far of the total. */
export interface RowProgress {
  done: number
  total: number
  table: string
}

const BATCH = 500

/** Copies the store in `source` into a new SQLite file `target`; answers the per-table counts. */
export async function copySqliteStore (source: string, target: string, options: { force?: boolean, onProgress?: (p: RowProgress) => void } = {}): Promise<TableCount[]> {
  if (fs.existsSync(target)) {
    if (!options.force) throw new ConflictError(`${target} already exists; choose a new file, or add --force to replace it`)
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true })
  }
  // The source at this hub's schema (a no-op when a hub already runs on it), then the target's schema.
  await new SqliteStore(source).close()
  await new SqliteStore(target).close()

  const from = new Database(source, { fileMustExist: true })
  const to = new Database(target, { fileMustExist: true })
  try {
    from.pragma('busy_timeout = 5000')
    to.pragma('foreign_keys = OFF')
    from.exec('BEGIN')
    try {
      const tables = copiedTables(from)
      const missing = tables.filter(t => !copiedTables(to).includes(t))
      if (missing.length > 0) throw new ValidationError(`The target has no table ${missing.join(', ')}: is it the same hub version?`)
      const counts = countRows(from, tables)
      const keys = sqliteLocalKeys(from)
      const total = Object.values(counts).reduce((a, b) => a + b, 0)
      let done = 0
      to.transaction(() => {
        for (const table of tables) {
          to.prepare(`DELETE FROM "${table}"`).run()
          const columns = columnsOf(from, table)
          const insert = to.prepare(`INSERT INTO "${table}" (${columns.map(c => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
          let batch = 0
          for (const row of from.prepare(`SELECT ${columns.map(c => `"${c}"`).join(', ')} FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
            insert.run(...row)
            done++
            if (++batch === BATCH) {
              batch = 0
              options.onProgress?.({ done, total, table })
            }
          }
          options.onProgress?.({ done, total, table })
        }
        // AUTOINCREMENT counters: ids are never reused in the copy either.
        to.prepare('DELETE FROM sqlite_sequence').run()
        const sequence = to.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)')
        for (const s of from.prepare<[], { name: string, seq: number }>('SELECT name, seq FROM sqlite_sequence').all()) sequence.run(s.name, s.seq)
      }).immediate()
      const broken = to.pragma('foreign_key_check') as unknown[]
      if (broken.length > 0) throw new ValidationError(`The copy has ${broken.length} rows whose references do not hold`)
      const copied = countRows(to, tables)
      return [...tables.map(table => ({ table, source: counts[table], target: copied[table] })),
        { table: LOCAL_KEYS_CHECK, source: keys, target: sqliteLocalKeys(to), check: true as const }]
    } finally {
      from.exec('COMMIT')
    }
  } finally {
    from.close()
    to.close()
  }
}

/** The columns to copy; a virtual table (full-text index) also its rowid, which links it to its rows. */
function columnsOf (db: Database.Database, table: string): string[] {
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map(c => c.name)
  const isVirtual = db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = ?").get(table)?.sql.startsWith('CREATE VIRTUAL TABLE') === true
  return isVirtual ? ['rowid', ...columns] : columns
}
