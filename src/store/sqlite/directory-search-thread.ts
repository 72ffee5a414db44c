import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { ValidationError } from '../../errors/app-errors'
import type { DirectoryQuery, DirectoryResultPage } from '../ports/directory.port'

// Runs in the worker: a read-only connection (WAL lets it read beside the writer) and the same
// search code as the hub's own connection. One search at a time, in arrival order.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const { SqliteDirectorySearch } = require(workerData.search)
const db = new Database(workerData.filename, { readonly: true, fileMustExist: true })
db.pragma('busy_timeout = 5000')
const searcher = new SqliteDirectorySearch(db)
parentPort.on('message', message => {
  if (message === 'stop') { db.close(); parentPort.close(); return }
  try {
    parentPort.postMessage({ id: message.id, result: searcher.search(message.query) })
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: { code: err.code, message: err.message, fields: err.fields } })
  }
})
`

interface Pending { resolve: (page: DirectoryResultPage) => void, reject: (err: Error) => void }

/**
 * Directory searches on a worker thread. better-sqlite3 is synchronous: a broad search over
 * 100,000 entries holds whichever thread runs it for a few hundred milliseconds, and on the
 * event loop that thread is also the inbox's. Only where the compiled search module exists
 * (dist/; not under ts-jest): elsewhere `available` is false and the caller searches itself.
 */
export class DirectorySearchThread {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private sequence = 0

  constructor (filename: string) {
    const search = path.join(__dirname, 'sqlite.directory.search.js')
    if (!__filename.endsWith('.js')) return
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filename, search, driver: require.resolve('better-sqlite3') } })
    worker.on('message', (message: { id: number, result?: DirectoryResultPage, error?: { code?: string, message: string, fields?: Record<string, string> } }) => {
      const waiting = this.pending.get(message.id)
      if (!waiting) return
      this.pending.delete(message.id)
      if (message.error) {
        waiting.reject(message.error.code === 'invalid_request' ? new ValidationError(message.error.message, message.error.fields) : new Error(message.error.message))
      } else {
        waiting.resolve(message.result as DirectoryResultPage)
      }
    })
    // A thread that fails leaves the searches to the caller's own connection.
    const fail = (err: Error): void => {
      this.worker = null
      for (const waiting of this.pending.values()) waiting.reject(err)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', () => fail(new Error('the directory search thread stopped')))
    worker.unref()
    this.worker = worker
  }

  /** Whether searches can go to the thread. */
  get available (): boolean {
    return this.worker !== null
  }

  /** Runs one search on the thread. */
  async search (query: DirectoryQuery): Promise<DirectoryResultPage> {
    const worker = this.worker
    if (!worker) throw new Error('the directory search thread is not running')
    const id = ++this.sequence
    const result = new Promise<DirectoryResultPage>((resolve, reject) => this.pending.set(id, { resolve, reject }))
    worker.postMessage({ id, query })
    return await result
  }

  /** Ends the thread once the searches it was given are answered. */
  stop (): void {
    this.worker?.postMessage('stop')
    this.worker = null
  }
}
