/**
 * What `migrate` reads from a store before and after copying it, without creating, migrating or
 * changing it: whether it is a hub's store at all, the hub processes registered on it, and the
 * HUB_URL it recorded. A store that does not exist yet (no file, no tables) has none of them.
 */
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { RemoteError } from '../../errors/app-errors'
import type { ProcessRecord } from '../ports/processes.port'
import { PostgresDatabase } from '../postgres/postgres-database'
import { HUB_URL_SETTING } from '../recorded-hub-url'
import { describeStore, type StoreTarget } from './store-url'

interface ProcessRow { id: string, machine: string, pid: number, started_at: string, heartbeat_ms: number }

/** The processes registered on `store` (live or not: the caller judges), oldest first. */
export async function registeredProcesses (store: StoreTarget): Promise<ProcessRecord[]> {
  const rows = await readStore(store, 'hub_processes', 'SELECT id, machine, pid, started_at, heartbeat_ms FROM hub_processes ORDER BY started_at, id', [])
  return (rows as ProcessRow[]).map(r => ({ id: r.id, machine: r.machine, pid: Number(r.pid), startedAt: r.started_at, heartbeatAt: new Date(Number(r.heartbeat_ms)).toISOString() }))
}

/** The HUB_URL recorded in `store` by the first hub started on it, or null. */
export async function storedHubUrl (store: StoreTarget): Promise<string | null> {
  const rows = await readStore(store, 'settings', 'SELECT value FROM settings WHERE key = ?', [HUB_URL_SETTING]) as Array<{ value: string }>
  return rows[0]?.value ?? null
}

/** True when `store` has a hub's schema (its migration record): a database a hub has run on. */
export async function holdsHubSchema (store: StoreTarget): Promise<boolean> {
  return (await readStore(store, 'schema_migrations', 'SELECT 1 AS one', [])).length > 0
}

/** Rows of `sql` (`?` placeholders) when `table` exists in the store; none otherwise. */
async function readStore (store: StoreTarget, table: string, sql: string, params: unknown[]): Promise<unknown[]> {
  if (store.kind === 'sqlite') {
    if (!fs.existsSync(store.file)) return []
    // Read-write, though it only reads: the last connection to close a WAL database removes its
    // -wal and -shm files, which a read-only one would leave behind.
    const db = new Database(store.file, { fileMustExist: true })
    try {
      db.pragma('busy_timeout = 5000')
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) === undefined) return []
      return db.prepare(sql).all(...params)
    } finally {
      db.close()
    }
  }
  const db = new PostgresDatabase(store.url, { max: 1, applicationName: 'ioocloud-hub migrate' })
  try {
    const exists = (await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`public.${table}`])).rows[0].t !== null
    if (!exists) return []
    let n = 0
    return (await db.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows
  } catch (err) {
    throw new RemoteError(`Cannot read the PostgreSQL store ${describeStore(store)}: ${(err as Error).message}`)
  } finally {
    await db.close()
  }
}
