import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { directoryRepositoryContract, record } from './directory.contract'

directoryRepositoryContract('SQLite (temp file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-directory-'))
  const store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  return {
    repo: store.directory,
    dispose: () => {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
})

describe('SQLite directory storage', () => {
  it('keeps entries, the full-text index and the version across reopening the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-directory-'))
    const file = path.join(dir, 'hub.sqlite')
    try {
      const first = new SqliteStore(file)
      await first.directory.upsertSourceEntry(record({ sourceId: 'h', website: 'hcoop.net', name: 'HCoop', summary: 'internet hosting' }))
      const version = await first.directory.version()
      first.close()
      const again = new SqliteStore(file)
      expect((await again.directory.search({ terms: ['hosting'], filters: {}, sort: 'relevance', limit: 5 })).items.map(e => e.name)).toEqual(['HCoop'])
      expect(await again.directory.version()).toBe(version)
      again.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
