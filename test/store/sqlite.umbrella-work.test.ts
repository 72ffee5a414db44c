import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { describeUmbrellaWorkRepositoryContract } from './umbrella-work.contract'

let store: SqliteStore | undefined
let dir: string | undefined
function open (): SqliteStore {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-umbrella-'))
  store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  return store
}
function close (): void {
  store?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  store = undefined
  dir = undefined
}

describeUmbrellaWorkRepositoryContract('SQLite', () => open().umbrellaWork, close)
