import fs from 'fs'
import path from 'path'
import { snapshotDatabase } from '../helpers/db-snapshot'
import { FIXTURES, Route } from '../helpers/directory-server'
import { ImportBench, importBench } from './sync-fixtures'
import { SOURCE_FORMATS } from '../../src/sync/sources/source-formats'

/**
 * Every source adapter against a loopback server serving its fixtures: good data lands with the
 * right counts; a broken root (500, time-out, truncated, HTML, a huge body) changes nothing and
 * is recorded with a back-off; an ETag round trip writes nothing.
 */
interface AdapterCase {
  format: string
  root: string
  type: string
  routes: Record<string, Route>
  added: number
  rejected: number
}

const json = 'application/json'
const file = (f: string, type = json): Route => ({ kind: 'file', file: f, type, etag: true })

const CASES: AdapterCase[] = [
  { format: 'ioo-csv', root: '/ioo.csv', type: 'text/csv', routes: { '/ioo.csv': file('ioo-directory/ioo-directory.csv', 'text/csv; charset=utf-8') }, added: 313, rejected: 0 },
  { format: 'ioo-json', root: '/ioo.json', type: json, routes: { '/ioo.json': file('ioo-directory/converted_data.json') }, added: 313, rejected: 0 },
  {
    format: 'pcc',
    root: '/api/organizations/',
    type: json,
    routes: { '/api/organizations/': file('sources/pcc/organizations.json'), '/api/organizations/?page=2': file('sources/pcc/organizations-page2.json') },
    added: 4,
    rejected: 1
  },
  {
    format: 'murmurations',
    root: '/v2/nodes',
    type: json,
    routes: {
      '/v2/nodes': file('sources/murmurations/index.json'),
      '/murmurations/meet-coop.json': file('sources/murmurations/meet-coop.json'),
      '/murmurations/commonscloud.json': file('sources/murmurations/commonscloud.json'),
      '/murmurations/invalid.json': file('sources/murmurations/invalid.json')
    },
    added: 2,
    rejected: 1
  },
  {
    format: 'chatons',
    root: '/chatons/chatons.properties',
    type: 'text/plain',
    routes: Object.fromEntries(['chatons', 'chapril', 'chapril-pad', 'chapril-visio', 'libre-service', 'anonyme'].map(n => [`/chatons/${n}.properties`, file(`sources/chatons/${n}.properties`, 'text/plain; charset=utf-8')])),
    added: 2,
    rejected: 1
  },
  {
    format: 'librehosters',
    root: '/directory.json',
    type: json,
    routes: Object.fromEntries([['/directory.json', file('sources/librehosters/directory.json')], ...['foobar', 'webarch', 'nohome'].map(n => [`/librehosters/${n}.json`, file(`sources/librehosters/${n}.json`)])]),
    added: 2,
    rejected: 1
  },
  { format: 'hub-directory', root: '/directory.json', type: json, routes: { '/directory.json': file('sources/hub/directory.json') }, added: 2, rejected: 1 }
]

/** Broken variants of a root document. */
function brokenRoots (c: AdapterCase): Array<[string, Route, RegExp]> {
  const good = c.format.startsWith('ioo-csv') ? 'Name,Website,Category\nA,https://a.example,x\n' : '{"data": [], "entries": [], "features": [], "x": 1}'
  return [
    ['a 500', { kind: 'body', body: 'Internal Server Error', type: 'text/plain', status: 500 }, /answered 500/],
    ['a time-out', { kind: 'hang' }, /Could not reach|timeout|Timeout/i],
    ['a truncated answer', { kind: 'truncate', body: good, type: c.type }, /broke off|Could not reach/],
    ['an HTML page instead', { kind: 'body', body: '<!doctype html><html><body>Sign in</body></html>', type: 'text/html; charset=utf-8' }, /text\/html/],
    ['a huge body', { kind: 'huge', bytes: 3 * 1024 * 1024, type: c.type }, /more than the 1048576 bytes allowed/]
  ]
}

describe.each(CASES)('the $format adapter', c => {
  let bench: ImportBench
  beforeEach(async () => { bench = await importBench(c.routes) })
  afterEach(async () => { await bench.close() })

  it('imports good data with the right counts, and an ETag round trip writes nothing', async () => {
    const source = await bench.addSource('s', c.format, c.root)
    const first = await bench.importer.importSource(source)
    expect(first.error).toBeNull()
    expect(first).toMatchObject({ outcome: 'imported', counts: { added: c.added, changed: 0, unchanged: 0, gone: 0, rejected: c.rejected } })
    const live = (await bench.store.directory.listSourceEntries('test/s')).filter(e => e.goneAt === null)
    expect(live).toHaveLength(c.added)
    // Provenance: every record names the source and an id there.
    for (const e of live) expect(e.entry).toMatchObject({ source: 'test/s', kind: 'imported' })
    const after = await bench.source('s')
    expect(after).toMatchObject({ failures: 0, lastError: null, lastCounts: first.counts })

    const before = snapshotDatabase(bench.dir)
    const served = bench.server.requests.length
    const second = await bench.importer.importSource(after)
    expect(second).toMatchObject({ outcome: 'unchanged', notModified: second.fetched + second.notModified, fetched: 0 })
    expect(second.notModified).toBeGreaterThan(0)
    const conditional = bench.server.requests.slice(served)
    expect(conditional.every(r => r.status === 304 && typeof r.ifNoneMatch === 'string')).toBe(true)
    expect(snapshotDatabase(bench.dir)).toEqual(before)
  })

  it.each(brokenRoots(c))('changes nothing on %s, records it and backs off', async (_what, broken, message) => {
    const source = await bench.addSource('s', c.format, c.root)
    await bench.importer.importSource(source)
    const before = snapshotDatabase(bench.dir, ['sync_sources'])
    bench.server.route(c.root, broken)
    const result = await bench.importer.importSource(await bench.source('s'), { ignoreBackoff: true })
    expect(result.outcome).toBe('failed')
    expect(result.error).toMatch(message)
    expect(snapshotDatabase(bench.dir, ['sync_sources'])).toEqual(before)
    const recorded = await bench.source('s')
    expect(recorded.failures).toBe(1)
    expect(recorded.lastError).toMatch(message)
    expect(Date.parse(recorded.nextAttemptAt ?? '')).toBe(bench.clock.now + 15 * 60 * 1000)
    // A scheduled run leaves it alone until then; the good validators are kept for the next try.
    const skipped = await bench.importer.importSource(recorded)
    expect(skipped.outcome).toBe('skipped')
    expect(recorded.contentHash).not.toBeNull()
  })
})

describe('source adapters: malformed JSON and child documents', () => {
  let bench: ImportBench
  afterEach(async () => { await bench.close() })

  it('refuses a JSON document cut short inside a complete answer', async () => {
    const full = fs.readFileSync(path.join(FIXTURES, 'ioo-directory', 'converted_data.json'), 'utf8')
    bench = await importBench({ '/ioo.json': { kind: 'body', body: full.slice(0, full.length / 2), type: 'application/json' } })
    const result = await bench.importer.importSource(await bench.addSource('s', 'ioo-json', '/ioo.json'))
    expect(result).toMatchObject({ outcome: 'failed' })
    expect(result.error).toMatch(/is not valid JSON/)
    expect(await bench.store.directory.listSourceEntries('test/s')).toEqual([])
  })

  it('refuses HTML served as JSON', async () => {
    bench = await importBench({ '/d.json': { kind: 'body', body: '<html><body>Maintenance</body></html>', type: 'application/json' } })
    const result = await bench.importer.importSource(await bench.addSource('s', 'librehosters', '/d.json'))
    expect(result.error).toMatch(/looks like an HTML page/)
  })

  it('keeps a member whose own document fails, and counts it as rejected', async () => {
    const routes = CASES.find(c => c.format === 'librehosters')?.routes ?? {}
    bench = await importBench(routes)
    await bench.importer.importSource(await bench.addSource('s', 'librehosters', '/directory.json'))
    bench.server.route('/librehosters/webarch.json', { kind: 'body', body: 'down', type: 'text/plain', status: 503 })
    const second = await bench.importer.importSource(await bench.source('s'))
    expect(second).toMatchObject({ outcome: 'imported', counts: { added: 0, changed: 0, unchanged: 2, gone: 0, rejected: 2 } })
    expect(second.rejections.map(r => r.key).sort()).toEqual(['nohome', 'webarch'])
    const live = (await bench.store.directory.listSourceEntries('test/s')).filter(e => e.goneAt === null).map(e => e.entry.sourceId)
    expect(live.sort()).toEqual(['foobar', 'webarch'])
  })

  it('marks a member gone when the directory no longer lists it', async () => {
    const routes = CASES.find(c => c.format === 'librehosters')?.routes ?? {}
    bench = await importBench(routes)
    await bench.importer.importSource(await bench.addSource('s', 'librehosters', '/directory.json'))
    bench.server.route('/directory.json', { kind: 'body', body: JSON.stringify({ foobar: bench.server.url('/librehosters/foobar.json') }), type: 'application/json' })
    const second = await bench.importer.importSource(await bench.source('s'))
    expect(second.counts).toEqual({ added: 0, changed: 0, unchanged: 1, gone: 1, rejected: 0 })
  })
})

describe('source formats', () => {
  it('the API schema accepts exactly the formats the hub has adapters for', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/api/source-create.schema.json'), 'utf8')) as { properties: { format: { enum: string[] } } }
    expect([...schema.properties.format.enum].sort()).toEqual([...SOURCE_FORMATS].sort())
  })
})
