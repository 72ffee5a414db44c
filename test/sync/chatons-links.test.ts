import { Route } from '../helpers/directory-server'
import { ImportBench, importBench } from './sync-fixtures'

/**
 * CHATONS members write their `subs.*` links in several ways the properties format keeps as
 * they are: quoted ('…', "…"), in angle brackets, relative to the file. Each is followed; a link
 * that still cannot be followed is counted and named in the import's report, never dropped
 * silently.
 */
describe('CHATONS links written in unusual but valid ways', () => {
  let bench: ImportBench
  afterEach(async () => { await bench.close() })

  const file = (name: string): Route => ({ kind: 'file', file: `sources/chatons/${name}.properties`, type: 'text/plain; charset=utf-8' })

  it('imports members whose subs URLs are quoted or relative, and reports the links it could not follow', async () => {
    bench = await importBench(Object.fromEntries(['chapril', 'chapril-pad', 'chapril-visio', 'libre-service', 'anonyme'].map(n => [`/chatons/${n}.properties`, file(n)])))
    const federation = [
      'file.class = Federation',
      'federation.name = CHATONS',
      `subs.chapril = '${bench.server.url('/chatons/chapril.properties')}'`,
      `subs.libreservice = "${bench.server.url('/chatons/libre-service.properties')}"`,
      'subs.anonyme = ./anonyme.properties',
      'subs.broken = not a link at all',
      "subs.mailto = 'mailto:contact@example.org'"
    ].join('\n')
    bench.server.route('/chatons/chatons.properties', { kind: 'body', body: federation, type: 'text/plain' })

    const result = await bench.importer.importSource(await bench.addSource('c', 'chatons', '/chatons/chatons.properties'))
    expect(result.outcome).toBe('imported')
    const names = (await bench.store.directory.listSourceEntries('test/c')).map(s => s.entry.name).sort()
    expect(names).toEqual(['Chapril', 'Libre-service.eu'])
    // The relative link was followed too: its file was read (and refused for having no name).
    expect(result.rejections).toEqual([{ key: bench.server.url('/chatons/anonyme.properties'), reason: 'it has no organization.name' }])
    expect(result.droppedLinks).toBe(2)
    expect(result.dropped).toEqual([
      { document: bench.server.url('/chatons/chatons.properties'), field: 'subs.broken', value: 'not a link at all', reason: 'not an http(s) address' },
      { document: bench.server.url('/chatons/chatons.properties'), field: 'subs.mailto', value: "'mailto:contact@example.org'", reason: 'not an http(s) address' }
    ])
  })
})
