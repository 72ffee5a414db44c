/**
 * Makes `db.transaction(fn)()` begin IMMEDIATE (take the write lock at BEGIN) instead of
 * DEFERRED. With several hub processes on one WAL database, a deferred transaction that reads
 * and then writes fails at once with SQLITE_BUSY ("database is locked") when another process
 * committed in between, since its snapshot is stale; an immediate one waits its turn (busy_timeout).
 * `.deferred()`, `.immediate()` and `.exclusive()` stay available; nested calls stay savepoints.
 */
import type Database from 'better-sqlite3'

/** Patches this connection's `transaction` so its default variant is IMMEDIATE. */
export function makeTransactionsImmediate (db: Database.Database): void {
  const original = db.transaction.bind(db)
  db.transaction = (fn => {
    const made = original(fn)
    const run = ((...args: never[]) => (made.immediate as (...a: never[]) => unknown)(...args)) as unknown as typeof made
    return Object.assign(run, { deferred: made.deferred, immediate: made.immediate, exclusive: made.exclusive, default: made.immediate })
  }) as typeof db.transaction
}
