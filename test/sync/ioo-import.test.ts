import fs from 'fs'
import path from 'path'
import { backoffDelayMs } from '../../src/sync/sources/backoff'
import { snapshotDatabase } from '../helpers/db-snapshot'
import { FIXTURES } from '../helpers/directory-server'
import { GRACE_MS, ImportBench, importBench } from './sync-fixtures'

/**
 * The Internet of Ownership directory, 313 entries: imported twice it gives the same directory
 * and the second run writes nothing; 10 rows removed are exactly 10 records gone, deleted only
 * after the grace period.
 */
describe('importing the Internet of Ownership directory', () => {
  let bench: ImportBench
  const rows = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'ioo-directory', 'converted_data.json'), 'utf8')) as Array<Record<string, unknown>>

  beforeEach(async () => {
    bench = await importBench({ '/export.csv': { kind: 'file', file: 'ioo-directory/ioo-directory.csv', type: 'text/csv' } })
  })
  afterEach(async () => { await bench.close() })

  it('gives the same directory twice, and the second run writes nothing', async () => {
    const source = await bench.addSource('ioo', 'ioo-csv', '/export.csv', 'ioo.coop/directory')
    const first = await bench.importer.importSource(source)
    expect(first.counts).toEqual({ added: 313, changed: 0, unchanged: 0, gone: 0, rejected: 0 })
    const entries = await bench.store.directory.listEntries()
    expect(entries).toHaveLength(313)
    const version = await bench.store.directory.version()
    const snapshot = snapshotDatabase(bench.dir)

    // No validators on this server: the same body is recognised by its hash.
    const second = await bench.importer.importSource(await bench.source('ioo'))
    expect(second).toMatchObject({ outcome: 'unchanged', counts: { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }, fetched: 1 })
    expect(snapshotDatabase(bench.dir)).toEqual(snapshot)

    // Forced through the mapping and the import transaction, it still finds nothing to change.
    const forced = await bench.importer.importSource(await bench.source('ioo'), { force: true })
    expect(forced.counts).toEqual({ added: 0, changed: 0, unchanged: 313, gone: 0, rejected: 0 })
    expect(await bench.store.directory.version()).toBe(version)
    expect(await bench.store.directory.listEntries()).toEqual(entries)
  })

  it('marks exactly the 10 removed rows gone, and deletes them after the grace period', async () => {
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows), type: 'application/json' })
    const source = await bench.addSource('ioo', 'ioo-json', '/ioo.json', 'ioo.coop/directory')
    expect((await bench.importer.importSource(source)).counts.added).toBe(313)

    const removed = [5, 17, 42, 80, 111, 150, 199, 230, 277, 313]
    const removedNames = removed.map(i => rows[i].Name)
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows.filter((_r, i) => !removed.includes(i))), type: 'application/json' })
    bench.clock.now += 3600_000
    const second = await bench.importer.importSource(await bench.source('ioo'))
    expect(second.counts).toEqual({ added: 0, changed: 0, unchanged: 303, gone: 10, rejected: 0 })
    const records = await bench.store.directory.listSourceEntries('ioo.coop/directory')
    const gone = records.filter(r => r.goneAt !== null)
    expect(gone.map(r => r.entry.name).sort()).toEqual([...removedNames].sort())
    expect(gone.every(r => r.goneAt === new Date(bench.clock.now).toISOString())).toBe(true)
    expect(await bench.store.directory.listEntries()).toHaveLength(303)

    // Within the grace period the gone records stay (an unchanged source purges nothing yet).
    bench.clock.now += GRACE_MS - 1000
    expect((await bench.importer.importSource(await bench.source('ioo'))).purged).toBe(0)
    expect(await bench.store.directory.listSourceEntries('ioo.coop/directory')).toHaveLength(313)
    bench.clock.now += 2000
    const purging = await bench.importer.importSource(await bench.source('ioo'))
    expect(purging).toMatchObject({ outcome: 'unchanged', purged: 10 })
    expect(await bench.store.directory.listSourceEntries('ioo.coop/directory')).toHaveLength(303)
  })

  it('brings a gone row back when the source lists it again within the grace period', async () => {
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows), type: 'application/json' })
    await bench.importer.importSource(await bench.addSource('ioo', 'ioo-json', '/ioo.json'))
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows.filter((_r, i) => i !== 7)), type: 'application/json' })
    expect((await bench.importer.importSource(await bench.source('ioo'))).counts.gone).toBe(1)
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows), type: 'application/json' })
    const back = await bench.importer.importSource(await bench.source('ioo'))
    expect(back.counts).toEqual({ added: 0, changed: 1, unchanged: 312, gone: 0, rejected: 0 })
    expect(await bench.store.directory.listEntries()).toHaveLength(313)
  })

  it('refuses a source that suddenly lacks most of its rows, unless forced', async () => {
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows), type: 'application/json' })
    await bench.importer.importSource(await bench.addSource('ioo', 'ioo-json', '/ioo.json'))
    bench.server.route('/ioo.json', { kind: 'body', body: JSON.stringify(rows.slice(0, 100)), type: 'application/json' })
    const refused = await bench.importer.importSource(await bench.source('ioo'))
    expect(refused.outcome).toBe('failed')
    expect(refused.error).toMatch(/no longer lists 214 of its 313 records/)
    expect(await bench.store.directory.listEntries()).toHaveLength(313)
    const forced = await bench.importer.importSource(await bench.source('ioo'), { force: true, ignoreBackoff: true })
    expect(forced.counts.gone).toBe(214)
  })

  it('backs off longer after each failure, up to a day', async () => {
    expect([1, 2, 3, 4, 10, 50].map(backoffDelayMs)).toEqual([900_000, 1_800_000, 3_600_000, 7_200_000, 86_400_000, 86_400_000])
    bench.server.route('/export.csv', { kind: 'body', body: 'oops', type: 'text/csv', status: 502 })
    await bench.addSource('ioo', 'ioo-csv', '/export.csv')
    for (let i = 1; i <= 3; i++) {
      const s = await bench.source('ioo')
      const r = await bench.importer.importSource(s)
      expect(r.outcome).toBe('failed')
      const after = await bench.source('ioo')
      expect(after.failures).toBe(i)
      expect(Date.parse(after.nextAttemptAt ?? '')).toBe(bench.clock.now + backoffDelayMs(i))
      bench.clock.now = Date.parse(after.nextAttemptAt ?? '')
    }
    // Once it answers again, failures and back-off are cleared.
    bench.server.route('/export.csv', { kind: 'file', file: 'ioo-directory/ioo-directory.csv', type: 'text/csv' })
    expect((await bench.importer.importSource(await bench.source('ioo'))).outcome).toBe('imported')
    expect(await bench.source('ioo')).toMatchObject({ failures: 0, nextAttemptAt: null, lastError: null })
  })
})
