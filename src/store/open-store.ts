import path from 'node:path'
import type { HubStore } from './store.port'
import { SqliteStore } from './sqlite/sqlite.store'
import { PostgresStore } from './postgres/postgres.store'
import { ensurePrivateDir } from './private-files'

/** Where the configuration says the store is: a PostgreSQL URL, or none for SQLite in `dataDir`. */
export interface StoreLocation {
  dataDir: string
  databaseUrl: string | null
}

/** Opens the SQLite store in `dataDir` (created 0700 if missing): `<dataDir>/hub.sqlite`. */
export function openStore (dataDir: string, options: { serving?: boolean } = {}): HubStore {
  ensurePrivateDir(dataDir)
  return new SqliteStore(path.join(dataDir, 'hub.sqlite'), { serving: options.serving === true })
}

/**
 * Opens the store the configuration names; the one place an adapter is chosen. With a database
 * URL the hub's records are all in PostgreSQL and no SQLite file is created; `dataDir` is still
 * made, for what one process keeps locally (a generated admin token).
 */
export async function openConfiguredStore (location: StoreLocation, options: { serving?: boolean } = {}): Promise<HubStore> {
  if (location.databaseUrl === null) return openStore(location.dataDir, options)
  ensurePrivateDir(location.dataDir)
  return await PostgresStore.open(location.databaseUrl)
}
