import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { openStore } from '../../src/store/open-store'
import { migrate, migrations } from '../../src/store/sqlite/migrations'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import type { HubStore } from '../../src/store/store.port'
import { describeStoreContract } from './store.contract'
import { describeDeliveryLeaseContract } from './store.contract.deliveries'
import { describeUmbrellaRepositoryContract } from './umbrella.contract'
import { fixtures } from './store.fixtures'

/** Temp directories made by this file, removed after every test. */
const tempDirs: string[] = []
function tempDir (): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-store-'))
  tempDirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describeStoreContract('SQLite (temp file)', () => new SqliteStore(path.join(tempDir(), 'hub.sqlite')))
describeDeliveryLeaseContract('SQLite (two stores on one file)', async timing => {
  const file = path.join(tempDir(), 'hub.sqlite')
  return [new SqliteStore(file, timing), new SqliteStore(file, timing)]
})

let umbrellaStore: SqliteStore | undefined
describeUmbrellaRepositoryContract('SQLite (temp file)', () => {
  umbrellaStore = new SqliteStore(path.join(tempDir(), 'hub.sqlite'))
  return umbrellaStore.umbrellas
}, () => { umbrellaStore?.close(); umbrellaStore = undefined })

describe('SqliteStore', () => {
  const opened: HubStore[] = []
  afterEach(() => {
    for (const s of opened.splice(0)) s.close()
  })
  function open (file: string, options?: ConstructorParameters<typeof SqliteStore>[1]): SqliteStore {
    const store = new SqliteStore(file, options)
    opened.push(store)
    return store
  }

  it('runs a file database in WAL mode', () => {
    const file = path.join(tempDir(), 'hub.sqlite')
    open(file)
    const raw = new Database(file)
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    } finally {
      raw.close()
    }
  })

  it('works in memory', async () => {
    const store = open(':memory:')
    await store.saveObject(fixtures.actor('alice'))
    expect(await store.getObject(fixtures.actor('alice').id)).toEqual(fixtures.actor('alice'))
  })

  it('keeps data across close and reopen of the same file', async () => {
    const file = path.join(tempDir(), 'hub.sqlite')
    const first = new SqliteStore(file)
    const alice = fixtures.actor('alice', { local: true })
    await first.saveObject(alice)
    await first.saveActivity(fixtures.activity(1, 'Follow', 'https://far.test/u/bob', alice.id, [`${alice.id}/followers`]))
    await first.deliveryEnqueue(alice.id, '{}', 'https://far.test/inbox')
    await first.setSetting('k', 'v')
    first.close()

    const second = open(file)
    expect(await second.getObject(alice.id, true)).toEqual(alice)
    expect(await second.getStreamCount(`${alice.id}/followers`)).toBe(1)
    expect(await second.deliveryQueueSize()).toBe(1)
    expect(await second.getSetting('k')).toBe('v')
  })

  it('records applied migrations, and re-running them is a no-op', async () => {
    const file = path.join(tempDir(), 'hub.sqlite')
    await open(file).setSetting('k', 'v')
    const raw = new Database(file)
    try {
      const recorded = raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()
      expect(recorded).toEqual(migrations.map(m => ({ version: m.version, name: m.name })))
      expect(migrate(raw)).toEqual([])
      expect(raw.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length })
      expect(raw.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' })
    } finally {
      raw.close()
    }
    // reopening applies nothing again and keeps the data
    expect(await open(file).getSetting('k')).toBe('v')
  })

  it('applies only the migrations a database lacks, in version order', () => {
    const raw = new Database(':memory:')
    try {
      const extra = { version: Math.max(...migrations.map(m => m.version)) + 1, name: 'test column', up: (db: Database.Database) => { db.exec('ALTER TABLE settings ADD COLUMN note TEXT') } }
      expect(migrate(raw)).toEqual(migrations.map(m => m.version))
      expect(migrate(raw, [extra, ...migrations])).toEqual([extra.version])
      expect(migrate(raw, [extra, ...migrations])).toEqual([])
    } finally {
      raw.close()
    }
  })

  it('never writes the signing key to disk', async () => {
    const file = path.join(tempDir(), 'hub.sqlite')
    const store = new SqliteStore(file)
    await store.deliveryEnqueue('https://hub.test/u/alice', '{"a":1}', ['https://far.test/inbox'], 'SIGNING-KEY-SECRET')
    store.close()
    const bytes = Buffer.concat(fs.readdirSync(path.dirname(file)).map(f => fs.readFileSync(path.join(path.dirname(file), f))))
    expect(bytes.includes('{"a":1}')).toBe(true)
    expect(bytes.includes('SIGNING-KEY-SECRET')).toBe(false)
  })

  it('shares writes between two stores on one file', async () => {
    const file = path.join(tempDir(), 'hub.sqlite')
    const a = open(file)
    const b = open(file)

    await a.saveObject(fixtures.actor('alice'))
    expect(await b.getObject(fixtures.actor('alice').id)).not.toBeNull()
    await b.setSetting('k', 'v')
    expect(await a.getSetting('k')).toBe('v')
  })

  it('refuses MongoDB aggregation queries and non-decimal cursors in getStream', async () => {
    const store = open(':memory:')
    await expect(store.getStream('c', 10, null, [], [{ $match: {} }])).rejects.toThrow(/not supported by the SQLite store/)
    await expect(store.getStream('c', 10, '5f1d7a3e2b1c4d5e6f708192')).rejects.toThrow('ApexStore: invalid page value')
    await expect(store.getStream('c', 10, '12.5')).rejects.toThrow('ApexStore: invalid page value')
    expect(await store.getStream('c', 10, '12')).toEqual([])
  })

  it('openStore creates the data directory and hub.sqlite in it', async () => {
    const dir = path.join(tempDir(), 'nested', 'data')
    const store = openStore(dir)
    opened.push(store)
    await store.setSetting('k', 'v')
    expect(fs.existsSync(path.join(dir, 'hub.sqlite'))).toBe(true)
  })
})
