/**
 * The PostgreSQL connection pool the store's repositories share: queries, transactions on one
 * connection, and rows decoded the way the repositories expect them (64-bit integers as numbers,
 * timestamps as ISO strings in UTC, jsonb as values). A transaction's connection is held in
 * AsyncLocalStorage: every query and transaction started in its async context (any repository
 * on this pool) joins it, a nested one as a savepoint; calls from elsewhere take other connections.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { withLibpqSslModes } from './libpq-ssl-modes'

/** What runs SQL: the pool, or one connection inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>
}

const INT8 = 20
const TIMESTAMPTZ = 1184
const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ)

/** Type parsers of this pool only (the `pg` module's global parsers stay as they are). */
const typeParsers = {
  getTypeParser (oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    // Ids (bigserial) and millisecond times stay well below 2^53.
    if (oid === INT8) return (value: string) => Number(value)
    if (oid === TIMESTAMPTZ) return (value: string) => (parseTimestamp(value) as Date).toISOString()
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown
  }
} as unknown as pg.CustomTypesConfig

/** SQLSTATEs after which a transaction may simply run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01'])

/** The connection of the transaction a call runs in, and how many savepoints it has named. */
interface OpenTransaction { client: pg.PoolClient, savepoints: number }

/** A pool of connections to one PostgreSQL database. */
export class PostgresDatabase implements Queryable {
  readonly pool: pg.Pool
  private readonly open = new AsyncLocalStorage<OpenTransaction>()

  constructor (url: string, options: { max?: number, applicationName?: string } = {}) {
    this.pool = new pg.Pool({
      connectionString: withLibpqSslModes(url),
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'ioocloud-hub',
      types: typeParsers
    })
    // An idle connection the server closed must not crash the process; the pool replaces it.
    this.pool.on('error', () => {})
  }

  /** Runs one statement: on the open transaction's connection when called inside one, else on any free connection. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    const open = this.open.getStore()
    if (open !== undefined) return await open.client.query<R>(sql, params)
    return await this.pool.query<R>(sql, params)
  }

  /**
   * Runs `work` in one transaction on one connection; commits when it resolves, rolls back when
   * it throws. A serialization failure or deadlock runs it again (up to three times). Inside an
   * open transaction it is a savepoint: its failure rolls back its own part only.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const open = this.open.getStore()
    if (open !== undefined) return await savepoint(open, work)
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect()
      try {
        await client.query('BEGIN')
        const result = await this.open.run({ client, savepoints: 0 }, async () => await work(client))
        await client.query('COMMIT')
        return result
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        const code = (err as { code?: string }).code
        if (attempt < 3 && code !== undefined && RETRYABLE.has(code)) continue
        throw err
      } finally {
        client.release()
      }
    }
  }

  /** Closes every connection. */
  async close (): Promise<void> {
    await this.pool.end()
  }
}

/** `work` in a savepoint of the open transaction; rolled back alone when it throws. */
async function savepoint<T> (open: OpenTransaction, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const name = `hub_${++open.savepoints}`
  await open.client.query(`SAVEPOINT ${name}`)
  try {
    const result = await work(open.client)
    await open.client.query(`RELEASE SAVEPOINT ${name}`)
    return result
  } catch (err) {
    await open.client.query(`ROLLBACK TO SAVEPOINT ${name}`)
    await open.client.query(`RELEASE SAVEPOINT ${name}`)
    throw err
  }
}
