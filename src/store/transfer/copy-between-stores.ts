/**
 * One copy of a hub's store into another, whichever the two kinds: SQLite to SQLite, SQLite to
 * PostgreSQL, PostgreSQL to SQLite. PostgreSQL to PostgreSQL is PostgreSQL's own tools' work.
 */
import fs from 'node:fs'
import { AppError, RemoteError, ValidationError } from '../../errors/app-errors'
import { copyPostgresToSqlite } from './postgres-to-sqlite'
import { copySqliteToPostgres } from './sqlite-to-postgres'
import { copySqliteStore, type RowProgress, type TableCount } from './store-copy'
import { describeStore, type StoreTarget } from './store-url'

/** Copies `from` into `to` (refused when `to` holds a hub, unless forced); answers the per-table counts. */
export async function copyStore (from: StoreTarget, to: StoreTarget, options: { force?: boolean, onProgress?: (p: RowProgress) => void } = {}): Promise<TableCount[]> {
  if (to.kind === 'postgres') {
    if (from.kind === 'postgres') {
      throw new ValidationError('Copying one PostgreSQL database into another is not done by migrate: use pg_dump --format=custom and pg_restore --no-owner (see "Backups of a PostgreSQL store" in docs/scaling.md)')
    }
    // One transaction on PostgreSQL: a copy that fails there leaves the database as it was.
    return await onPostgres(to, async () => await copySqliteToPostgres(from.file, to.url, options))
  }
  // A SQLite target is written in place: a copy that fails leaves no half-written file it created.
  const created = !fs.existsSync(to.file)
  try {
    return from.kind === 'postgres'
      ? await onPostgres(from, async () => await copyPostgresToSqlite(from.url, to.file, options))
      : await copySqliteStore(from.file, to.file, options)
  } catch (err) {
    if (created) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${to.file}${suffix}`, { force: true })
    throw err
  }
}

/** Runs `work`, turning the PostgreSQL client's errors into one that names the store (password hidden). */
async function onPostgres<T> (store: StoreTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new RemoteError(`The copy failed on the PostgreSQL store ${describeStore(store)}: ${(err as Error).message}`)
  }
}
