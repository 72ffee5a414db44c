import fs from 'fs'
import os from 'os'
import path from 'path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { describeProcessesContract } from './processes.contract'

// Two connections to one file, as two hub processes would have.
describeProcessesContract('SQLite (two connections to one file)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-processes-'))
  const file = path.join(dir, 'hub.sqlite')
  const a = new SqliteStore(file, { processId: 'host:101:a' })
  const b = new SqliteStore(file, { processId: 'host:102:b' })
  return {
    a,
    b,
    close: () => {
      a.close()
      b.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
})
