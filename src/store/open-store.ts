import path from 'node:path'
import type { HubStore } from './store.port'
import { SqliteStore } from './sqlite/sqlite.store'
import { ensurePrivateDir } from './private-files'

/** Opens the hub's store in `dataDir` (created 0700 if missing): `<dataDir>/hub.sqlite`; the one place an adapter is chosen. */
export function openStore (dataDir: string, options: { serving?: boolean } = {}): HubStore {
  ensurePrivateDir(dataDir)
  return new SqliteStore(path.join(dataDir, 'hub.sqlite'), { serving: options.serving === true })
}
