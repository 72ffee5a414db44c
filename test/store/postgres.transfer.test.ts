import fs from 'node:fs'
import Database from 'better-sqlite3'
import os from 'node:os'
import path from 'node:path'
import { buildAgreementVersion, proposeAgreement } from '../../src/domain/member-exchange-agreement'
import { ConflictError } from '../../src/errors/app-errors'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database'
import { PostgresApexDocuments } from '../../src/store/postgres/postgres.apex-documents'
import { PostgresAgreementRepository } from '../../src/store/postgres/postgres.agreement.repository'
import { PostgresDirectoryRepository } from '../../src/store/postgres/postgres.directory.repository'
import { PostgresJobRepository } from '../../src/store/postgres/postgres.jobs.repository'
import { PostgresPoolRepository } from '../../src/store/postgres/postgres.pool.repository'
import { PostgresSourceRepository } from '../../src/store/postgres/postgres.sync-sources.repository'
import { PostgresUmbrellaWorkRepository } from '../../src/store/postgres/postgres.umbrella-work.repository'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { copyPostgresToSqlite } from '../../src/store/transfer/postgres-to-sqlite'
import { copySqliteToPostgres } from '../../src/store/transfer/sqlite-to-postgres'
import { LOCAL_KEYS_CHECK, postgresLocalKeys } from '../../src/store/transfer/local-keys-check'
import { postgresRepositories } from '../helpers/postgres-repositories'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'
import { record } from './directory.contract'
import { pledgeRecord, poolRecord } from './pool.contract'
import { claimed, fixtures } from './store.fixtures'
import { decisionRecord, projectRecord } from './umbrella-work.contract'

const ACTOR = 'https://hub.test/u/alpha'

/** A SQLite hub with something in every kind of record. */
async function filledSqliteHub (file: string): Promise<SqliteStore> {
  const store = new SqliteStore(file)
  await store.saveObject(fixtures.actor('alpha', { local: true }))
  await store.saveObject(fixtures.actor('bob', { host: 'https://far.test' }))
  await store.saveActivity(fixtures.activity(1, 'Follow', 'https://far.test/u/bob', ACTOR, [`${ACTOR}/inbox`]))
  await store.saveContext({ contextUrl: null, documentUrl: 'https://ctx.test', document: { '@context': {} } })
  await store.deliveryEnqueue(ACTOR, '{"n":1}', ['https://one.example/inbox', 'https://two.example/inbox'])
  await store.deliveryFail(claimed(await store.deliveryDequeue()).id, 'gone (410)')
  await store.saveCoop({ username: 'alpha', actorId: ACTOR, followPolicy: 'approval', createdAt: '2026-01-01T00:00:00.000Z' })
  await store.setSetting('hub_url', 'https://hub.test')
  await store.pools.savePool(poolRecord('https://hub.test/pools/1'))
  await store.pools.savePledge(pledgeRecord('https://b.test/offers/1', 'https://hub.test/pools/1'))
  const doc = buildAgreementVersion({
    id: 'https://hub.test/agreements/1', author: ACTOR, parties: ['https://z.test/u/z', ACTOR], name: 'X', terms: 'T', services: [],
    startTime: '2026-01-01T00:00:00.000Z', status: 'proposed', authorFollowers: null, now: '2026-01-01T00:00:00.000Z'
  })
  await store.agreements.saveAgreement(proposeAgreement(doc, 'https://hub.test/offers/a1', '2026-01-01T00:00:00.000Z'))
  await store.directory.upsertSourceEntry(record({ sourceId: 'h', website: 'hcoop.net', name: 'HCoop', summary: 'internet hosting' }))
  await store.syncSources.recordSuccess('ioo', {
    etag: '"e"', lastModified: null, contentHash: 'h', counts: { added: 1, changed: 0, unchanged: 0, gone: 0, rejected: 0 },
    documents: [{ url: 'https://z.example/2', etag: null, lastModified: null, contentType: 'text/csv', body: 'b' }, { url: 'https://a.example/1', etag: null, lastModified: null, contentType: 'text/csv', body: 'a' }]
  })
  const started = await store.jobs.start({ job: 'health', trigger: 'schedule', slot: '2026-01-01T00:00:00.000Z', holder: 'h', leaseMs: 60_000 })
  if (started.started) await store.jobs.finish(started.run.id, { outcome: 'succeeded', counts: { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }, error: null, details: [] })
  await store.umbrellaWork.saveProject(projectRecord('p1'))
  await store.umbrellaWork.saveDecision(decisionRecord('https://hub.test/d/1'))
  await store.processes.register({ machine: 'm', pid: 1 })
  return store
}

describe('copying a SQLite hub into PostgreSQL', () => {
  let dir: string
  let database: TestDatabase
  let sqlite: SqliteStore
  let db: PostgresDatabase | undefined
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-copy-pg-'))
    database = await createTestDatabase()
    sqlite = await filledSqliteHub(path.join(dir, 'hub.sqlite'))
  })
  afterEach(async () => {
    await sqlite.close()
    await db?.close()
    db = undefined
    await database.drop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('copies every table with equal counts, and the PostgreSQL store reads the same records', async () => {
    const counts = await copySqliteToPostgres(path.join(dir, 'hub.sqlite'), database.url)
    expect(counts.filter(c => c.source !== c.target)).toEqual([])
    expect(counts.map(c => c.table)).toEqual(expect.arrayContaining(['objects', 'streams', 'deliveries', 'delivery_failures', 'coops', 'settings', 'pools', 'pledges', 'agreements', 'directory_entries', 'job_runs', 'sync_documents', 'umbrella_decisions']))
    expect(counts.map(c => c.table)).not.toContain('hub_processes')
    expect(counts.filter(c => c.source > 0).length).toBeGreaterThanOrEqual(15)
    // alpha's key came along, checked beside the tables; a copy that lost it would count as many objects.
    expect(counts.find(c => c.table === LOCAL_KEYS_CHECK)).toEqual({ table: LOCAL_KEYS_CHECK, source: 1, target: 1, check: true })

    const pg = new PostgresDatabase(database.url)
    db = pg
    await pg.query("UPDATE objects SET meta = meta - 'privateKey' WHERE id = $1", [ACTOR])
    expect(await postgresLocalKeys(pg)).toBe(0)
    expect((await pg.query('SELECT count(*)::int AS n FROM objects')).rows[0].n).toBe(counts.find(c => c.table === 'objects')?.source)
    await pg.query("UPDATE objects SET meta = meta || '{\"privateKey\": \"PRIVATE-KEY-alpha\"}' WHERE id = $1", [ACTOR])
    const apex = new PostgresApexDocuments(pg)
    expect(await apex.getObject(`${ACTOR}`, true)).toEqual(await sqlite.getObject(ACTOR, true))
    expect(await apex.getStream(`${ACTOR}/inbox`, 10)).toEqual(await sqlite.getStream(`${ACTOR}/inbox`, 10))
    expect(await new PostgresAgreementRepository(pg).getAgreement('https://hub.test/agreements/1')).toEqual(await sqlite.agreements.getAgreement('https://hub.test/agreements/1'))
    expect(await new PostgresPoolRepository(pg).listPledges()).toEqual(await sqlite.pools.listPledges())
    expect(await new PostgresJobRepository(pg).listRuns({ limit: 5 })).toEqual(await sqlite.jobs.listRuns({ limit: 5 }))
    expect(await new PostgresSourceRepository(pg).documents('ioo')).toEqual(await sqlite.syncSources.documents('ioo'))
    expect(await new PostgresUmbrellaWorkRepository(pg).getTally('https://hub.test/d/1')).toEqual(await sqlite.umbrellaWork.getTally('https://hub.test/d/1'))
    const directory = new PostgresDirectoryRepository(pg)
    expect((await directory.search({ terms: ['hosting'], filters: {}, sort: 'relevance', limit: 5 })).items.map(e => e.name)).toEqual(['HCoop'])
    expect(await directory.version()).toBe(await sqlite.directory.version())
    // New rows get new ids: the copied ones are never reused.
    const repos = postgresRepositories(pg, 'host:1:a')
    const failed = (await repos.queue.listFailures(1))[0]
    await repos.deliveryControl.enqueue(ACTOR, '{}', ['https://three.example/inbox'], null)
    const ids = (await pg.query<{ id: number }>('SELECT id FROM deliveries ORDER BY id')).rows.map(r => r.id)
    expect(ids.at(-1)).toBeGreaterThan(Math.max(failed.id, ...ids.slice(0, -1)))
  })

  it('refuses a database that already holds a hub, and replaces it with force', async () => {
    await copySqliteToPostgres(path.join(dir, 'hub.sqlite'), database.url)
    await expect(copySqliteToPostgres(path.join(dir, 'hub.sqlite'), database.url)).rejects.toBeInstanceOf(ConflictError)
    await sqlite.pools.savePool(poolRecord('https://hub.test/pools/2'))
    const counts = await copySqliteToPostgres(path.join(dir, 'hub.sqlite'), database.url, { force: true })
    expect(counts.find(c => c.table === 'pools')).toEqual({ table: 'pools', source: 2, target: 2 })
  })
})

describe('copying a hub from SQLite to PostgreSQL and back', () => {
  it('gives a SQLite store with identical counts in every table, whose directory search still works', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-round-trip-'))
    const database = await createTestDatabase()
    const original = await filledSqliteHub(path.join(dir, 'hub.sqlite'))
    let back: SqliteStore | undefined
    try {
      const there = await copySqliteToPostgres(path.join(dir, 'hub.sqlite'), database.url)
      const home = await copyPostgresToSqlite(database.url, path.join(dir, 'back.sqlite'))
      expect(home.filter(c => c.source !== c.target)).toEqual([])
      expect(home.find(c => c.table === LOCAL_KEYS_CHECK)).toEqual({ table: LOCAL_KEYS_CHECK, source: 1, target: 1, check: true })
      expect(there.find(c => c.table === LOCAL_KEYS_CHECK)).toEqual({ table: LOCAL_KEYS_CHECK, source: 1, target: 1, check: true })
      const sqliteCounts = Object.fromEntries(there.filter(c => c.check !== true).map(c => [c.table, c.source]))
      // Every table of the original, the directory's indexes too, holds as many rows after the round trip.
      const check = new SqliteStore(path.join(dir, 'back.sqlite'))
      back = check
      for (const table of [...there.filter(c => c.check !== true).map(c => c.table), 'directory_facets', 'directory_entry_facets']) {
        const n = (name: string, store: string): number => {
          const db = new Database(store, { readonly: true })
          try { return (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n } finally { db.close() }
        }
        expect({ table, rows: n(table, path.join(dir, 'back.sqlite')) }).toEqual({ table, rows: sqliteCounts[table] ?? n(table, path.join(dir, 'hub.sqlite')) })
      }
      expect((await check.directory.search({ terms: ['hosting'], filters: {}, sort: 'relevance', limit: 5 })).items.map(e => e.name)).toEqual(['HCoop'])
      expect(await check.agreements.getAgreement('https://hub.test/agreements/1')).toEqual(await original.agreements.getAgreement('https://hub.test/agreements/1'))
      expect(await check.syncSources.documents('ioo')).toEqual(await original.syncSources.documents('ioo'))
      expect(await check.getObject(ACTOR, true)).toEqual(await original.getObject(ACTOR, true))
      expect(await check.getSetting('hub_url')).toBe('https://hub.test')
      await check.deliveryEnqueue(ACTOR, '{}', ['https://three.example/inbox'])
      expect(claimed(await check.deliveryDequeue()).id).toBeGreaterThan(Math.max(...(await original.listDeliveryFailures(10)).map(f => f.id)))
    } finally {
      await back?.close()
      await original.close()
      await database.drop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('copying a PostgreSQL hub into SQLite', () => {
  it('reads a large table a batch at a time (at most 500 rows in memory) and copies every row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-copy-batches-'))
    const database = await createTestDatabase()
    const source = new SqliteStore(path.join(dir, 'hub.sqlite'))
    let back: SqliteStore | undefined
    try {
      for (let i = 0; i < 1201; i++) await source.saveObject(fixtures.actor(`a${i}`, { host: 'https://far.test' }))
      await copySqliteToPostgres(path.join(dir, 'hub.sqlite'), database.url)
      const progress: Array<{ done: number, table: string }> = []
      const counts = await copyPostgresToSqlite(database.url, path.join(dir, 'back.sqlite'), { onProgress: p => progress.push({ done: p.done, table: p.table }) })
      expect(counts.find(c => c.table === 'objects')).toEqual({ table: 'objects', source: 1201, target: 1201 })
      // Each report follows one FETCH: the objects arrive in steps of 500, 500 and 201.
      const objects = progress.filter(p => p.table === 'objects').map(p => p.done)
      const before = progress[progress.findIndex(p => p.table === 'objects') - 1]?.done ?? 0
      expect([...new Set(objects)].map(done => done - before)).toEqual([500, 1000, 1201])
      back = new SqliteStore(path.join(dir, 'back.sqlite'))
      expect(await back.getObject('https://far.test/u/a1200')).toEqual(await source.getObject('https://far.test/u/a1200'))
    } finally {
      await back?.close()
      await source.close()
      await database.drop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
