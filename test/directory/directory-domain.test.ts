/** The directory's pure parts: canonical websites, merging, facets, IoO mapping, requests, cursors, money, feeds. */
import { ValidationError } from '../../src/errors/app-errors'
import { canonicalWebsite, entryIdFor } from '../../src/domain/directory/canonical-url'
import { facetValues } from '../../src/domain/directory/facets'
import { mergeSources } from '../../src/domain/directory/merge'
import { isRoleAddress, publishableEmail } from '../../src/domain/directory/publishable-contact'
import { searchTerms } from '../../src/domain/directory/search-text'
import { decodeCursor, encodeCursor, parseSearchRequest, toDirectoryQuery } from '../../src/directory/search-request'
import { guessCountry } from '../../src/directory/sources/country-guess'
import { coordinate, iooEntries, iooEntry } from '../../src/directory/sources/ioo-directory'
import { plainText } from '../../src/directory/sources/coop-source'
import { byClosenessToGoal, poolProgress } from '../../src/directory/pool-progress'
import { buildMurmurationsProfile, RELATIONSHIP_PREDICATES } from '../../src/directory/feeds/murmurations'
import { buildOpenApiDocument } from '../../src/api/openapi'
import type { FundingPool, MemberExchangeAgreement } from '../../src/directory/network-data'
import type { SourceEntry } from '../../src/store/ports/directory.port'
import { murmurationsValidator } from '../helpers/murmurations'

describe('canonical websites', () => {
  it('treats scheme, www., case, default ports and trailing slashes as the same site', () => {
    const same = ['https://www.Webarchitects.coop/', 'http://webarchitects.coop', 'webarchitects.coop', 'www.webarchitects.coop:443//', 'HTTPS://WEBARCHITECTS.COOP#about']
    expect(new Set(same.map(canonicalWebsite))).toEqual(new Set(['webarchitects.coop']))
    expect(canonicalWebsite('https://example.org/coop/')).toBe('example.org/coop')
    expect(canonicalWebsite('http://127.0.0.1:8080/u/alpha')).toBe('127.0.0.1:8080/u/alpha')
    expect(canonicalWebsite('urn:ioo:Ampled')).toBe('urn:ioo:ampled')
    for (const bad of ['', 'not a website', 'ftp://files.example', 'mailto:x@y.example']) expect(canonicalWebsite(bad)).toBeNull()
  })

  it('derives a stable, URL-safe, readable id', () => {
    expect(entryIdFor('webarchitects.coop')).toMatch(/^webarchitects-coop-[0-9a-f]{8}$/)
    expect(entryIdFor('webarchitects.coop')).toBe(entryIdFor('webarchitects.coop'))
    expect(entryIdFor('a.example/x')).not.toBe(entryIdFor('a-example/x'))
  })
})

describe('contact privacy', () => {
  it('republishes only role addresses that a local co-op gave itself', () => {
    expect(isRoleAddress('info@coop.example')).toBe(true)
    expect(isRoleAddress('jane.doe@coop.example')).toBe(false)
    expect(publishableEmail('info@coop.example', 'local')).toBe('info@coop.example')
    expect(publishableEmail('jane.doe@coop.example', 'local')).toBeUndefined()
    expect(publishableEmail('info@coop.example', 'imported')).toBeUndefined()
    expect(publishableEmail('info@coop.example', 'federated')).toBeUndefined()
  })
})

const rec = (entry: Partial<SourceEntry> & Pick<SourceEntry, 'sourceId' | 'name'>, retrievedAt = '2025-01-01T00:00:00.000Z'): { entry: SourceEntry, retrievedAt: string } => ({
  entry: { source: 'ioo.coop/directory', kind: 'imported', website: 'x.example', status: 'active', ...entry }, retrievedAt
})

describe('merging', () => {
  it('prefers local over federated over imported, unites lists, keeps every source', () => {
    const merged = mergeSources('x', [
      rec({ sourceId: 'imp', name: 'Imported name', summary: 'imported summary', tags: ['Cloud', 'web hosting'], legalForm: 'cooperative', location: { lat: 1, lon: 2, address: 'Somewhere' }, services: [{ id: 'https://evil.example/s', name: 'claimed', url: 'https://evil.example', category: 'email', access: 'public' }] }),
      rec({ source: 'hub.example', kind: 'federated', sourceId: 'https://hub.example/u/x', name: 'Federated name', tags: ['cloud', 'email'], location: { country: 'DE' } }, '2025-03-01T00:00:00.000Z')
    ])
    expect(merged).toMatchObject({ name: 'Federated name', summary: 'imported summary', kind: 'coop-cloud', legalForm: 'cooperative', location: { country: 'DE', lat: 1, lon: 2, address: 'Somewhere' }, updatedAt: '2025-03-01T00:00:00.000Z' })
    expect(merged.tags).toEqual(['cloud', 'email', 'web hosting'])
    // An import's idea of a cloud's services is not listed.
    expect(merged.services).toEqual([])
    expect(merged.provenance.map(p => p.kind)).toEqual(['federated', 'imported'])
  })

  it('gives facets from services, known-category tags, location and sources', () => {
    const entry = mergeSources('x', [rec({ sourceId: 'a', name: 'A', tags: ['Web Hosting', 'food'], location: { country: 'FR' }, languages: ['FR'] })])
    expect(facetValues(entry).sort()).toEqual([
      ['category', 'web-hosting'], ['country', 'FR'], ['kind', 'imported'], ['language', 'fr'], ['source', 'ioo.coop/directory'], ['status', 'active']
    ].sort())
  })
})

describe('the IoO directory mapping', () => {
  const row = {
    Name: 'Hostsharing eG', Description: 'Registered Coop', 'What are you looking for?': 'ecosystem', Category: 'co-op-run platform', Type: 'cooperative',
    Activities: 'cloud, Data,web hosting', Classes: 'business, users', '?': '', Logo: 'data:image/png;base64,AAAA', Website: 'www.hostsharing.net',
    Status: 'in development', Location: 'Flughafenstraße 52a, 22335 Hamburg, Germany', Latitude: 53.63, Longitude: '10,01', 'Open  Repo': 'https://github.com/hostsharing', Email: 'jan@hostsharing.net'
  }

  it('maps the columns, normalising lists, status, coordinates and links, and keeps no e-mail address', () => {
    const entry = iooEntry(row, 'abc123')
    expect(entry).toEqual({
      source: 'ioo.coop/directory', kind: 'imported', sourceId: 'hostsharing-eg', website: 'www.hostsharing.net', name: 'Hostsharing eG', status: 'planned',
      tags: ['cloud', 'data', 'web hosting', 'co-op-run platform'], url: 'https://ioo.coop/directory/', snapshot: 'abc123', summary: 'Registered Coop',
      legalForm: 'cooperative', memberClasses: ['business', 'user'],
      location: { address: 'Flughafenstraße 52a, 22335 Hamburg, Germany', country: 'DE', lat: 53.63, lon: 10.01 },
      links: [{ rel: 'source', href: 'https://github.com/hostsharing' }]
    })
    expect(JSON.stringify(entry)).not.toContain('jan@')
  })

  it('skips the configuration row and nameless rows; mints a urn when there is no website', () => {
    const entries = iooEntries([{ Name: 'MapsTooltip - stringFilter - Hidden', Latitude: 'MapsLat - Hidden - NoFilter' }, { Name: '' }, { Name: 'Ampled', Website: '' }])
    expect(entries.map(e => [e.name, e.website])).toEqual([['Ampled', 'urn:ioo:ampled']])
  })

  it('accepts only real coordinates', () => {
    expect(coordinate('52,5', 90)).toBe(52.5)
    expect(coordinate(2013, 90)).toBeUndefined()
    expect(coordinate('someone@example.invalid', 90)).toBeUndefined()
    expect(coordinate('', 90)).toBeUndefined()
  })

  it('guesses countries from free-text locations, or says nothing', () => {
    expect(guessCountry('Oakland, CA 94612')).toBe('US')
    expect(guessCountry('Barcelona')).toBe('ES')
    expect(guessCountry('Santa Fe, New Mexico')).toBe('US')
    expect(guessCountry('68a John Street, Sheffield, S2 4QU, UK')).toBe('GB')
    expect(guessCountry('Kyiv Ukraine')).toBe('UA')
    expect(guessCountry('Totally virtual')).toBeUndefined()
  })
})

describe('search requests', () => {
  it('reads the query string, treating empty filters as any', () => {
    const request = parseSearchRequest({ q: ' web hosting ', country: 'gb', software: 'NextCloud', status: '', sort: 'name', limit: '5' })
    expect(request).toEqual({ q: 'web hosting', filters: { country: 'GB', software: 'nextcloud' }, sort: 'name', limit: 5 })
    expect(toDirectoryQuery(request)).toEqual({ terms: ['web', 'hosting'], filters: { country: 'GB', software: 'nextcloud' }, sort: 'name', limit: 5 })
  })

  it('reports every bad parameter at once', () => {
    let error: ValidationError | undefined
    try { parseSearchRequest({ kind: 'cloud', sort: 'random', limit: '0', country: 'Germany', extra: 'x', q: ['a', 'b'] }) } catch (err) { error = err as ValidationError }
    expect(error).toBeInstanceOf(ValidationError)
    expect(Object.keys(error?.fields ?? {}).sort()).toEqual(['country', 'extra', 'kind', 'limit', 'q', 'sort'])
  })

  it('makes words out of anything typed, FTS syntax included', () => {
    expect(searchTerms('"Web" OR host* -NEAR(x)')).toEqual(['web', 'or', 'host', 'near', 'x'])
    expect(searchTerms('Genossenschaft Müller')).toEqual(['genossenschaft', 'müller'])
  })

  it('gives cursors that only their own search accepts', () => {
    const request = parseSearchRequest({ q: 'hosting', sort: 'name' })
    const cursor = encodeCursor({ key: ['hcoop'], id: 'hcoop-net-1' }, request)
    expect(decodeCursor(cursor, { ...request, limit: 50 })).toEqual({ key: ['hcoop'], id: 'hcoop-net-1' })
    expect(() => decodeCursor(cursor, parseSearchRequest({ q: 'hosting', sort: 'updated' }))).toThrow(/different search/)
    expect(() => decodeCursor('garbage', request)).toThrow(ValidationError)
    expect(() => decodeCursor(Buffer.from(JSON.stringify({ s: 'x', k: [{}], i: 'a' })).toString('base64url'), request)).toThrow(/not one this directory/)
  })
})

const pool = (id: string, goal: string, pledged: FundingPool['pledged'], status: FundingPool['poolStatus'] = 'open'): FundingPool => ({
  id, type: ['Page', 'ioo:FundingPool'], attributedTo: 'https://hub.example/u/beta', name: id, summary: 's', url: id,
  beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' }, goal: { currency: 'EUR', value: goal }, period: 'once', poolStatus: status,
  pledged, received: [{ currency: 'EUR', value: '0.10' }]
})

describe('pool progress', () => {
  it('is exact, per goal currency, and may pass 100%', () => {
    const p = poolProgress(pool('https://p.example/1', '0.30', [{ currency: 'EUR', value: '0.20' }, { currency: 'EUR', value: '0.20' }, { currency: 'USD', value: '1000.00' }]))
    expect(p).toMatchObject({ currency: 'EUR', goal: '0.30', pledged: '0.40', received: '0.10', pledgedPercent: 133, receivedPercent: 33 })
  })

  it('orders open pools by how close they are to their goal', () => {
    const pools = [
      pool('https://p.example/half', '100.00', [{ currency: 'EUR', value: '50.00' }]),
      pool('https://p.example/most', '10.00', [{ currency: 'EUR', value: '9.99' }]),
      pool('https://p.example/funded', '1.00', [{ currency: 'EUR', value: '1.00' }], 'funded'),
      pool('https://p.example/none', '100.00', [])
    ]
    expect(byClosenessToGoal(pools).map(x => x.pool.id)).toEqual(['https://p.example/most', 'https://p.example/half', 'https://p.example/none'])
  })
})

describe('Murmurations profiles', () => {
  it('carry active agreements and stewarded pools as relationships and validate', () => {
    const entry = mergeSources('beta', [rec({
      source: 'hub.example', kind: 'local', sourceId: 'https://hub.example/u/beta', website: 'https://beta.example', name: 'Beta', actor: 'https://hub.example/u/beta',
      location: { country: 'BE', lat: 51, lon: 3.7, address: 'Ghent' }, contact: { email: 'info@beta.example' },
      services: [{ id: 'https://hub.example/u/beta/services/desk', name: 'Desk', url: 'https://desk.beta.example', category: 'helpdesk', access: 'members' }]
    })])
    const agreement = (status: MemberExchangeAgreement['agreementStatus'], other: string): MemberExchangeAgreement => ({
      id: `https://hub.example/o/${other}`, type: ['vf:Agreement'], attributedTo: 'https://hub.example/u/beta', name: 'x', content: 'terms',
      parties: ['https://hub.example/u/beta', other], startTime: '2025-01-01T00:00:00Z', agreementStatus: status
    })
    const profile = buildMurmurationsProfile({
      entry, pageUrl: 'https://hub.example/u/beta',
      agreements: [agreement('active', 'https://other.example/u/delta'), agreement('proposed', 'https://other.example/u/gamma')],
      pools: [pool('https://hub.example/o/pool', '10.00', [])]
    })
    expect(profile.relationships).toEqual([
      { predicate_url: RELATIONSHIP_PREDICATES.agreement, object_url: 'https://other.example/u/delta' },
      { predicate_url: RELATIONSHIP_PREDICATES.stewardsPool, object_url: 'https://hub.example/o/pool' }
    ])
    expect(profile).toMatchObject({ contact_details: { email: 'info@beta.example' }, country_iso_3166: 'BE', tags: ['co-op cloud', 'helpdesk'] })
    const validate = murmurationsValidator()
    expect(validate(profile)).toBe(true)
    expect(validate({ ...profile, country_iso_3166: 'XX' })).toBe(false)
  })
})

describe('other helpers', () => {
  it('turns fediverse HTML summaries into text', () => {
    expect(plainText('<p>Hosting &amp; mail<br>for <a href="x">members</a></p>')).toBe('Hosting & mail for members')
  })

  it('documents the directory API in OpenAPI, every reference resolving', () => {
    const doc = buildOpenApiDocument('https://hub.example', '1.0.0') as any
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/directory', '/api/v1/directory/{id}', '/directory.json', '/u/{username}/murmurations.json']))
    const refs: string[] = []
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk)
      else if (n && typeof n === 'object') {
        for (const [k, v] of Object.entries(n)) {
          if (k === '$ref') refs.push(String(v))
          else walk(v)
        }
      }
    }
    walk(doc)
    expect(refs.length).toBeGreaterThan(10)
    for (const r of refs) {
      const target = r.replace(/^#\//, '').split('/').reduce<any>((node, key) => node?.[key], doc)
      expect({ ref: r, found: target !== undefined }).toEqual({ ref: r, found: true })
    }
  })
})
