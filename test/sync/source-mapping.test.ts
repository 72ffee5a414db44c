import type { SourceEntry } from '../../src/store/ports/directory.port'
import type { Route } from '../helpers/directory-server'
import { ImportBench, importBench } from './sync-fixtures'

/** What each adapter makes of its fixture: the field mappings of docs/sync.md, and no personal e-mail address kept. */
describe('source field mappings', () => {
  let bench: ImportBench
  afterEach(async () => { await bench.close() })

  const file = (f: string, type = 'application/json'): Route => ({ kind: 'file', file: f, type })

  async function records (format: string, root: string, routes: Record<string, Route>): Promise<Map<string, SourceEntry>> {
    bench = await importBench(routes)
    const result = await bench.importer.importSource(await bench.addSource('s', format, root))
    expect(result.outcome).toBe('imported')
    return new Map((await bench.store.directory.listSourceEntries('test/s')).map(s => [s.entry.sourceId, s.entry]))
  }

  function noPersonalEmail (all: Map<string, SourceEntry>): void {
    for (const e of all.values()) expect(e.contact?.email ?? '').not.toMatch(/example\.(org|invalid)$/)
  }

  it('IoO CSV: the Hostsharing row, quirks handled, no e-mail kept', async () => {
    const all = await records('ioo-csv', '/ioo.csv', { '/ioo.csv': file('ioo-directory/ioo-directory.csv', 'text/csv') })
    expect(all.get('hostsharing-eg')).toMatchObject({
      name: 'Hostsharing eG', website: 'https://hostsharing.net', status: 'active', legalForm: 'cooperative',
      memberClasses: ['business', 'contributor', 'depositor', 'user', 'worker'],
      location: { address: 'Flughafenstraße 52a, 22335 Hamburg, Germany', lat: 53.6387821, lon: 10.0150668 },
      links: [{ rel: 'source', href: 'https://github.com/hostsharing' }]
    })
    expect(all.get('hostsharing-eg')?.tags).toEqual(expect.arrayContaining(['cloud', 'web hosting', 'co-op-run platform']))
    // No website: a urn minted from the name. A data: logo is dropped. A shifted Latitude is dropped.
    expect(all.get('ampled')?.website).toBe('urn:ioo:ampled')
    expect(all.get('anyshare')?.logo).toBeUndefined()
    expect(all.get('design-is-political')?.location?.lat).toBeUndefined()
    expect([...all.values()].every(e => e.contact === undefined)).toBe(true)
    expect(all.has('mapstooltip-stringfilter-hidden')).toBe(false)
  })

  it('PCC: GeoJSON point, country, languages, a role address kept and a personal one dropped', async () => {
    const all = await records('pcc', '/api/organizations/', {
      '/api/organizations/': file('sources/pcc/organizations.json'),
      '/api/organizations/?page=2': file('sources/pcc/organizations-page2.json')
    })
    expect(all.get('11')).toMatchObject({
      name: 'May First Movement Technology', website: 'https://mayfirst.coop/', legalForm: 'cooperative',
      location: { locality: 'Brooklyn', country: 'US', lat: 40.6782, lon: -73.9442 },
      languages: ['en', 'es'], tags: ['cooperative', 'web hosting', 'cloud'], contact: { email: 'info@mayfirst.org' },
      updatedAt: '2020-06-01T12:00:00.000Z'
    })
    expect(all.get('12')?.contact).toBeUndefined()
    expect(all.get('14')?.website).toBe('https://commown.coop/')
    expect(all.get('15')?.links).toEqual([{ rel: 'source', href: 'https://github.com/hostsharing' }])
    noPersonalEmail(all)
  })

  it('CHATONS: organisation, services with access, decimal-comma coordinates', async () => {
    const routes = Object.fromEntries(['chatons', 'chapril', 'chapril-pad', 'chapril-visio', 'libre-service', 'anonyme']
      .map(n => [`/chatons/${n}.properties`, file(`sources/chatons/${n}.properties`, 'text/plain')]))
    const all = await records('chatons', '/chatons/chatons.properties', routes)
    const chapril = [...all.values()].find(e => e.name === 'Chapril')
    expect(chapril).toMatchObject({
      website: 'https://www.chapril.org/', legalForm: 'association', status: 'active',
      location: { country: 'FR', lat: 48.8566, lon: 2.3522 }, contact: { email: 'contact@chapril.org', url: 'https://www.chapril.org/contact.xhtml' }
    })
    expect(chapril?.services).toEqual([
      expect.objectContaining({ name: 'Chapril Pad', url: 'https://pad.chapril.org/', category: 'pad', access: 'public', acceptingMembers: true, software: { name: 'Etherpad', homepage: 'https://etherpad.org/', version: '1.9.6' } }),
      expect.objectContaining({ name: 'Chapril Visio', category: 'video-calls', access: 'members', acceptingMembers: false })
    ])
    expect(chapril?.links).toEqual(expect.arrayContaining([{ rel: 'mastodon', href: 'https://pouet.chapril.org/@chapril' }, { rel: 'donate', href: 'https://liberapay.com/april/' }]))
    noPersonalEmail(all)
  })

  it('Libre Hosters: languages, hoster tag, policies', async () => {
    const all = await records('librehosters', '/directory.json', Object.fromEntries([['/directory.json', file('sources/librehosters/directory.json')],
      ...['foobar', 'webarch', 'nohome'].map(n => [`/librehosters/${n}.json`, file(`sources/librehosters/${n}.json`)])]))
    expect(all.get('foobar')).toMatchObject({
      name: 'foobar.example', website: 'https://foobar.example/', summary: 'providing services for everyone', legalForm: 'informal',
      languages: ['en', 'fr', 'nl'], tags: ['hoster', 'libre-hosters'], contact: { url: 'https://foobar.example/contact' }
    })
    expect(all.get('webarch')?.legalForm).toBe('cooperative')
  })

  it('Murmurations: validated profiles, status, a personal address dropped', async () => {
    const all = await records('murmurations', '/v2/nodes', Object.fromEntries([['/v2/nodes', file('sources/murmurations/index.json')],
      ...['meet-coop', 'commonscloud', 'invalid'].map(n => [`/murmurations/${n}.json`, file(`sources/murmurations/${n}.json`)])]))
    const meet = [...all.values()].find(e => e.name === 'The Online Meeting Co-operative')
    expect(meet).toMatchObject({ website: 'https://www.meet.coop/', status: 'active', location: { country: 'GB', lat: 51.5072, lon: -0.1276 }, contact: { email: 'contact@meet.coop' } })
    const commons = [...all.values()].find(e => e.name === 'CommonsCloud')
    expect(commons).toMatchObject({ status: 'planned', summary: 'Free software cloud services from the social and solidarity economy.' })
    expect(commons?.contact).toBeUndefined()
  })

  it('a sibling hub feed: only its own co-ops, no e-mail kept', async () => {
    const all = await records('hub-directory', '/directory.json', { '/directory.json': file('sources/hub/directory.json') })
    expect([...all.values()].map(e => e.name).sort()).toEqual(['Hillside Cloud', 'Riverside Co-op'])
    const riverside = [...all.values()].find(e => e.name === 'Riverside Co-op')
    expect(riverside?.contact).toEqual({ url: 'https://riverside.coop/contact' })
    expect(riverside?.services?.[0]).toMatchObject({ category: 'file-hosting', access: 'members', software: { name: 'Nextcloud' } })
  })
})
