import fs from 'node:fs'
import path from 'node:path'
import type { HubStore } from './store.port'
import { SqliteStore } from './sqlite/sqlite.store'

/** Opens the hub's store in `dataDir` (created if missing): `<dataDir>/hub.sqlite`; the one place an adapter is chosen. */
export function openStore (dataDir: string, options: { serving?: boolean } = {}): HubStore {
  fs.mkdirSync(dataDir, { recursive: true })
  return new SqliteStore(path.join(dataDir, 'hub.sqlite'), { serving: options.serving === true })
}
