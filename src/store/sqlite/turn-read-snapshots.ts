/**
 * Reads made in one turn of the event loop share one read transaction.
 *
 * In WAL mode a statement run outside a transaction is a transaction of its own: SQLite takes a
 * read lock in the shared-memory index and releases it after, two `fcntl` system calls and a
 * look at the index header, about 5 µs where the look-up itself is a fraction of one. An inbox
 * request reads the domain blocks, the sender's key, the recipient and the stored owner of the
 * object it carries, and several requests are handled in one turn under load. So the first read of
 * a turn begins a read transaction and the turn's end (`setImmediate`) commits it; later reads of
 * the turn run inside it.
 *
 * A write never joins it: any statement that may write, any `exec` or `pragma` and any
 * `transaction()` first end the read transactions open in this process (this connection's and
 * any other's on the same thread), so a write commits (or opens its own transaction) at once and
 * is seen by every connection of the process at its next read, exactly as without this. What
 * changes is only when another process's commit is seen: reads of one turn see the store as of
 * that turn's first read, and a commit made meanwhile by another process is seen from the next
 * turn on — when that process's message about it (a request, a wake-up) arrives anyway. Reads
 * inside a transaction the connection opened itself run in it, as before.
 */
import type Database from 'better-sqlite3'

type StatementMethod = 'run' | 'get' | 'all' | 'iterate'

const STATEMENT_METHODS: readonly StatementMethod[] = ['run', 'get', 'all', 'iterate']

/** The read transactions open in this process now, one per connection, each with what ends it. */
const openReads = new Set<() => boolean>()

/** Per patched connection: the number of its turn's read transaction now open, or null. */
const openSnapshots = new WeakMap<Database.Database, () => number | null>()

/**
 * A number for the read transaction of this turn now open on `db`, or null when none is: two
 * reads made under the same number saw the same store (nothing written since, by anyone). Each
 * read transaction gets a new number; a write ends it.
 */
export function currentReadSnapshot (db: Database.Database): number | null {
  return openSnapshots.get(db)?.() ?? null
}

/**
 * Ends every open read transaction of this process before a write: another connection in the
 * same process (a second store on the file, as tests and tools open) then sees the write at its
 * next read, as it would without shared reads. One that cannot end now (its connection is in the
 * middle of iterating rows) ends at its turn's end.
 */
function endOpenReads (): void {
  if (openReads.size === 0) return
  for (const end of [...openReads]) end()
}

/** Patches this connection so reads within one event-loop turn share one read transaction. */
export function shareReadsWithinATurn (db: Database.Database): void {
  const exec = db.exec.bind(db)
  // Prepared once: `exec` would parse the SQL again for every turn's BEGIN and COMMIT.
  const beginRead = db.prepare('BEGIN')
  const commitRead = db.prepare('COMMIT')
  let open = false
  let snapshots = 0
  openSnapshots.set(db, () => open ? snapshots : null)

  /** Ends this connection's read transaction; false when it cannot yet (rows being iterated). */
  const end = (): boolean => {
    if (!open) return true
    if (db.open && db.inTransaction) {
      // A read transaction has nothing to keep: should COMMIT fail, ROLLBACK ends it all the same.
      try {
        commitRead.run()
      } catch {
        try {
          if (db.inTransaction) exec('ROLLBACK')
        } catch {
          return false
        }
      }
    }
    open = false
    openReads.delete(end)
    return true
  }
  const endAtTurnEnd = (): void => {
    if (!end()) setImmediate(endAtTurnEnd)
  }
  const begin = (): void => {
    if (open || db.inTransaction) return
    beginRead.run()
    open = true
    snapshots += 1
    openReads.add(end)
    setImmediate(endAtTurnEnd)
  }

  // Any write also moves this connection's snapshot number, even where the read transaction
  // cannot end at once (rows being iterated): what was read under the number is no longer current.
  const beforeWrite = (): void => {
    snapshots += 1
    endOpenReads()
  }

  db.exec = ((sql: string) => { beforeWrite(); return exec(sql) }) as typeof db.exec
  const pragma = db.pragma.bind(db)
  db.pragma = ((source: string, options?: Database.PragmaOptions) => { beforeWrite(); return pragma(source, options) }) as typeof db.pragma
  const close = db.close.bind(db)
  db.close = (() => { end(); return close() }) as typeof db.close

  const transaction = db.transaction.bind(db)
  db.transaction = (fn => {
    const made = transaction(fn)
    const first = <F extends (...args: never[]) => unknown>(run: F): F => ((...args: Parameters<F>) => { beforeWrite(); return run(...args) }) as F
    return Object.assign(first(made), {
      default: first(made.default), deferred: first(made.deferred), immediate: first(made.immediate), exclusive: first(made.exclusive)
    })
  }) as typeof db.transaction

  const prepare = db.prepare.bind(db)
  db.prepare = ((source: string) => {
    const statement = prepare(source)
    // better-sqlite3 knows from the compiled statement whether it can write.
    const before = statement.readonly ? begin : beforeWrite
    const methods = statement as unknown as Record<StatementMethod, (...args: unknown[]) => unknown>
    for (const name of STATEMENT_METHODS) {
      const method = methods[name].bind(statement)
      Object.defineProperty(statement, name, { value: (...args: unknown[]) => { before(); return method(...args) }, configurable: true, writable: true })
    }
    return statement
  }) as typeof db.prepare
}
