import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { syncRepositoriesContract } from './sync.contract'

syncRepositoriesContract('SQLite (temp file)', async clock => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-sync-'))
  const store = new SqliteStore(path.join(dir, 'hub.sqlite'), { now: () => clock.now })
  return {
    jobs: store.jobs,
    sources: store.syncSources,
    siblings: store.siblings,
    health: store.health,
    directory: store.directory,
    clock,
    dispose: () => {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
})

describe('SQLite sync storage', () => {
  it('lists the Internet of Ownership source on a fresh install, enabled, never imported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-sync-'))
    const store = new SqliteStore(path.join(dir, 'hub.sqlite'))
    try {
      expect(await store.syncSources.list()).toEqual([expect.objectContaining({
        id: 'ioo', format: 'ioo-csv', name: 'ioo.coop/directory', enabled: true, lastSuccessAt: null,
        url: 'https://docs.google.com/spreadsheets/d/1RQTMhPJVVdmE7Yeop1iwYhvj46kgvVJQnn11EPGwzeY/export?format=csv&gid=674927682'
      })])
    } finally {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
