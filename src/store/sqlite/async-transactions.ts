/**
 * Async transactions on one synchronous better-sqlite3 connection.
 *
 * better-sqlite3's own `db.transaction(fn)` cannot span an `await`, but the port's
 * `transaction(async work)` must. So a transaction here is explicit SQL on the one connection
 * (BEGIN IMMEDIATE … COMMIT, or ROLLBACK when `work` throws or rejects), and two rules keep
 * other code out of it while it waits:
 *
 * - **One at a time.** A process-level mutex admits one top-level transaction at a time.
 * - **Who is inside.** `work` runs in an AsyncLocalStorage frame. A store call made in that
 *   frame (at any depth of awaits) runs at once and joins the transaction; a call from any other
 *   async context, made while a transaction holds or waits for the mutex, queues behind it and
 *   runs after COMMIT or ROLLBACK. A call left running after `work` settled is outside too.
 *
 * Every adapter method runs all its statements on this connection synchronously when called (the
 * directory's search thread has a connection of its own), so a call admitted through the gate
 * cannot be split by a transaction that starts later. Nested `transaction` calls are savepoints,
 * one at a time per level; repositories' own `db.transaction(fn)()` calls inside become savepoints
 * as better-sqlite3 does for any open transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type Database from 'better-sqlite3'

/** Runs sections one after another, in arrival order; `busy` while one runs or waits. */
class AsyncMutex {
  private tail: Promise<void> = Promise.resolve()
  private holders = 0

  get busy (): boolean { return this.holders > 0 }

  /** How many sections run or wait, the calling one included. */
  get queued (): number { return this.holders }

  /** Runs `section` once every earlier one has settled; answers what it answers. */
  run<T>(section: () => Promise<T> | T): Promise<T> {
    this.holders++
    const result = this.tail.then(section)
    this.tail = result.then(() => { this.holders-- }, () => { this.holders-- })
    return result
  }
}

/** One open transaction or savepoint level; `open` turns false when its work has settled. */
interface Frame {
  open: boolean
  readonly parent: Frame | undefined
  /** Serializes the savepoints opened directly inside this level. */
  readonly nested: AsyncMutex
}

/** The transactions of one connection, and the gate every adapter call passes through. */
export class ConnectionTransactions {
  private readonly frames = new AsyncLocalStorage<Frame>()
  private readonly topLevel = new AsyncMutex()
  private savepoints = 0

  constructor (private readonly db: Database.Database) {}

  /** Runs `work` in a transaction (a savepoint when already inside one): all of it commits, or none. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    const outer = this.current()
    if (outer !== undefined) return outer.nested.run(() => this.inSavepoint(outer, work))
    return this.topLevel.run(async () => {
      const frame: Frame = { open: true, parent: undefined, nested: new AsyncMutex() }
      this.db.exec('BEGIN IMMEDIATE')
      try {
        const result = await this.frames.run(frame, work)
        frame.open = false
        this.db.exec('COMMIT')
        return result
      } catch (err) {
        frame.open = false
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        throw err
      } finally {
        // While any AsyncLocalStorage is enabled, Node runs a hook on every promise the process
        // makes (a few percent of an inbox request's CPU). Between transactions nobody needs the
        // frame — a call outside one finds none either way — so the storage is switched off until
        // the next transaction's `run` switches it on again.
        if (this.topLevel.queued === 1) this.frames.disable()
      }
    })
  }

  /**
   * Runs one adapter call: at once when no transaction is open or waiting, or when the caller is
   * inside the open one; otherwise after the transactions before it. A synchronous throw becomes a rejection.
   */
  run<T>(call: () => Promise<T> | T): Promise<T> {
    if (!this.wouldRunNow()) return this.topLevel.run(call)
    try {
      return Promise.resolve(call())
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Whether `run` would run a call at once: no transaction open or waiting, or the caller inside the open one. */
  wouldRunNow (): boolean {
    return !this.topLevel.busy || this.current() !== undefined
  }

  /** `repository` with every method passed through `run`: its synchronous methods answer Promises. */
  gate<R extends object>(repository: R): R {
    const wrapped = new Map<PropertyKey, unknown>()
    return new Proxy(repository, {
      get: (target, key) => {
        const value: unknown = Reflect.get(target, key, target)
        if (typeof value !== 'function') return value
        if (!wrapped.has(key)) wrapped.set(key, (...args: unknown[]) => this.run(() => (value as (...a: unknown[]) => unknown).apply(target, args)))
        return wrapped.get(key)
      }
    })
  }

  /** The innermost level still open in this async context (a call left over from a settled savepoint belongs to its parent). */
  private current (): Frame | undefined {
    let frame = this.frames.getStore()
    while (frame !== undefined && !frame.open) frame = frame.parent
    return frame
  }

  private async inSavepoint<T>(parent: Frame, work: () => Promise<T>): Promise<T> {
    const name = `nested_${++this.savepoints}`
    const frame: Frame = { open: true, parent, nested: new AsyncMutex() }
    this.db.exec(`SAVEPOINT ${name}`)
    try {
      const result = await this.frames.run(frame, work)
      frame.open = false
      this.db.exec(`RELEASE ${name}`)
      return result
    } catch (err) {
      frame.open = false
      this.db.exec(`ROLLBACK TO ${name}`)
      this.db.exec(`RELEASE ${name}`)
      throw err
    }
  }
}
