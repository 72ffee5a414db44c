import { Worker } from 'node:worker_threads'

/**
 * How often the background connection folds the write-ahead log back into the database. Under a
 * steady inbound load the log is never wholly folded back in the background (commits keep adding
 * frames during each checkpoint), so it grows until the serving connection's fallback threshold
 * has it checkpoint what is left itself, on the event loop; a quarter of a second leaves less for
 * it to copy there (docs/performance.md, "Reads kept while nothing changed").
 */
export const CHECKPOINT_INTERVAL_MS = 250

/**
 * With background checkpoints the serving connection checkpoints by itself only when the log
 * reaches this many pages (about 40 MB), should the background thread ever fall behind.
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000

// Runs in the worker: its own connection to the same file (WAL lets it work beside the writer);
// a PASSIVE checkpoint never blocks readers or writers. Errors (a busy or vanished file) wait
// for the next tick. Written as source so it runs the same from dist/ and under ts-jest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.filename)
db.pragma('busy_timeout = 1000')
db.pragma('synchronous = NORMAL')
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)') } catch {} }
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

/**
 * Runs SQLite's WAL checkpoints on a worker thread with its own connection, instead of inside
 * whichever request's commit crosses the threshold: a checkpoint copies pages and syncs the
 * file, which took about half of the inbox's write time on the event loop (docs/performance.md).
 */
export class WalCheckpointer {
  private readonly worker: Worker
  private readonly exited: Promise<void>

  constructor (filename: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filename, intervalMs, driver: require.resolve('better-sqlite3') } })
    this.exited = new Promise(resolve => this.worker.once('exit', () => resolve()))
    // A failed checkpointer leaves the fallback threshold in charge; nothing to report to a request.
    this.worker.on('error', () => {})
    this.worker.unref()
  }

  /** Checkpoints once more and ends the thread. */
  async stop (): Promise<void> {
    // Unreferenced while it runs, so it never holds the process open; while it stops it must, or a
    // process with nothing else left (a start refused after the store opened) exits before the
    // wait ends, silently and with status 0, instead of saying why.
    this.worker.ref()
    this.worker.postMessage('stop')
    await this.exited
  }
}
