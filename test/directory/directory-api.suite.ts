/**
 * The acceptance checks on real hubs over loopback: 313 imported entries plus three
 * federated co-ops; search ranking, facet counts, paging, the public API's caching headers,
 * the feeds and their schemas.
 */
import http from 'node:http'
import zlib from 'node:zlib'
import { SchemaValidator } from '../../src/schemas/schema-validator'
import { api, eventually } from '../helpers/hub-process'
import { murmurationsValidator } from '../helpers/murmurations'
import { DirectoryScenario, startDirectoryScenario } from './directory-scenario'
import type { TestStoreKind } from '../helpers/test-store-choice'

/** Registers the directory's acceptance checks with both hubs on `store`. */
export function directoryApiTests (store: TestStoreKind): void {
  let s: DirectoryScenario

  beforeAll(async () => { s = await startDirectoryScenario(store) }, 90_000)
  afterAll(async () => { await s?.stop() })

  const directory = async (query: string): Promise<any> => {
    const res = await api(s.b, 'GET', `/api/v1/directory${query}`)
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.json)}`)
    return res.json
  }

  /** Every entry of a search, page after page, following the `next` cursor. */
  async function allPages (params: URLSearchParams, limit: number): Promise<any[]> {
    const items: any[] = []
    let cursor: string | null = null
    for (let i = 0; i < 100; i++) {
      const p = new URLSearchParams(params)
      p.set('limit', String(limit))
      if (cursor) p.set('cursor', cursor)
      const page = await directory(`?${p}`)
      items.push(...page.items)
      cursor = page.next
      if (!cursor) return items
    }
    throw new Error('more than 100 pages')
  }

  describe(`the directory with the IoO entries and three federated co-ops (${store})`, () => {
    it('holds 313 imported entries, the local co-op and the three siblings, Webarchitects merged into one', async () => {
      expect(s.imported).toEqual({ added: 313, changed: 0, unchanged: 0, gone: 0 })
      const all = await directory('?limit=1')
      // 313 imported + beta + 3 siblings, minus Webarchitects (imported and federated: one cloud).
      expect(all.total).toBe(316)
      const webarch = await directory('?q=webarchitects')
      expect(webarch.items).toHaveLength(1)
      expect(webarch.items[0]).toMatchObject({ name: 'Webarchitects Co-operative', kind: 'coop-cloud', actor: s.siblings.webarch, location: { country: 'GB' } })
      expect(webarch.items[0].provenance.map((p: any) => p.kind)).toEqual(['federated', 'imported'])
      expect(webarch.items[0].tags).toEqual(expect.arrayContaining(['web hosting', 'cloud']))
    })

    it('finds the web-hosting co-ops first when searching "hosting"', async () => {
      const results = await allPages(new URLSearchParams({ q: 'hosting' }), 50)
      const isWebHoster = (e: any): boolean => e.services.some((x: any) => x.category === 'web-hosting') || e.tags.some((t: string) => t.toLowerCase() === 'web hosting')
      const hosters = results.filter(isWebHoster)
      // 8 IoO web hosters (Webarchitects among them, now merged) + Leaf Co-op.
      expect(hosters).toHaveLength(9)
      expect(results.slice(0, hosters.length).every(isWebHoster)).toBe(true)
      expect(results.length).toBeGreaterThan(hosters.length)
      expect(results.slice(0, hosters.length).map(e => e.name)).toEqual(expect.arrayContaining(['Leaf Co-op', 'Webarchitects Co-operative', 'HCoop', 'Hostsharing eG']))
      const facet = (await directory('?q=hosting')).facets.category.find((c: any) => c.value === 'web-hosting')
      expect(facet.count).toBe(9)
    })

    it('gives facet counts that equal what each filter returns', async () => {
      for (const base of ['', 'q=hosting', 'kind=coop-cloud', 'q=cooperative&status=active']) {
        const page = await directory(`?${base}&limit=1`)
        let checked = 0
        for (const [facet, counts] of Object.entries(page.facets) as Array<[string, Array<{ value: string, count: number }>]>) {
          for (const { value, count } of counts) {
            const params = new URLSearchParams(base)
            params.set(facet, value)
            params.set('limit', '1')
            const filtered = await directory(`?${params}`)
            expect({ base, facet, value, total: filtered.total }).toEqual({ base, facet, value, total: count })
            checked++
          }
        }
        expect(checked).toBeGreaterThan(5)
      }
      const all = await directory('?limit=1')
      expect(all.facets.kind).toEqual([{ value: 'imported', count: 312 }, { value: 'coop-cloud', count: 4 }])
      expect(all.facets.source.map((f: any) => f.value).sort()).toEqual([new URL(s.a.url).host, new URL(s.b.url).host, 'ioo.coop/directory'].sort())
    })

    it('pages through every result exactly once, in every order', async () => {
      for (const sort of ['relevance', 'name', 'updated']) {
        const items = await allPages(new URLSearchParams({ sort }), 37)
        const ids = items.map(e => e.id)
        expect(ids).toHaveLength(316)
        expect(new Set(ids).size).toBe(316)
      }
      const hosting = await allPages(new URLSearchParams({ q: 'hosting', sort: 'name' }), 3)
      expect(new Set(hosting.map(e => e.id)).size).toBe(hosting.length)
      // Ranked pages: the cursor carries the rank, and small pages give the order one big page gives.
      const ranked = await allPages(new URLSearchParams({ q: 'cooperative' }), 7)
      const onePage = await directory('?q=cooperative&limit=100')
      expect(ranked.length).toBe(onePage.total)
      expect(ranked.slice(0, onePage.items.length).map(e => e.id)).toEqual(onePage.items.map((e: any) => e.id))
      const byName = await allPages(new URLSearchParams({ sort: 'name', kind: 'coop-cloud' }), 2)
      expect(byName.map(e => e.name)).toEqual(['Beta Commons Cloud', 'Gamma Files', 'Leaf Co-op', 'Webarchitects Co-operative'])
    })

    it('filters by service facts: software, access, accepting members, country, language', async () => {
      expect((await directory('?software=nextcloud')).items.map((e: any) => e.name)).toEqual(['Gamma Files'])
      expect((await directory('?access=public')).items.map((e: any) => e.name)).toEqual(['Webarchitects Co-operative'])
      expect((await directory('?accepting=yes&sort=name')).items.map((e: any) => e.name)).toEqual(['Beta Commons Cloud', 'Leaf Co-op', 'Webarchitects Co-operative'])
      expect((await directory('?language=de')).items.map((e: any) => e.name)).toEqual(['Leaf Co-op'])
      const germany = await directory('?country=de&limit=100')
      expect(germany.items.map((e: any) => e.name)).toEqual(expect.arrayContaining(['Leaf Co-op', 'Hostsharing eG']))
    })

    it('refuses bad searches with a clear 400 and changes nothing', async () => {
      const bad = await api(s.b, 'GET', '/api/v1/directory?status=open&limit=500&colour=red')
      expect(bad.status).toBe(400)
      expect(bad.json).toMatchObject({ error: 'invalid_request' })
      expect(Object.keys(bad.json.fields).sort()).toEqual(['colour', 'limit', 'status'])
      const other = await directory('?sort=name&limit=5')
      const reused = await api(s.b, 'GET', `/api/v1/directory?sort=updated&cursor=${other.next}`)
      expect(reused.status).toBe(400)
      expect(reused.json.fields).toEqual({ cursor: 'belongs to another search' })
      expect((await api(s.b, 'GET', '/api/v1/directory?cursor=not-a-cursor')).status).toBe(400)
      expect((await api(s.b, 'GET', '/api/v1/directory/no-such-entry')).status).toBe(404)
      expect((await directory('?limit=1')).total).toBe(316)
    })

    it('serves entries with ETag, Cache-Control and CORS; a matching If-None-Match gets 304', async () => {
      const first = await directory('?q=leaf')
      const url = `${s.b.url}/api/v1/directory/${first.items[0].id}`
      const res = await fetch(url, { headers: { origin: 'https://elsewhere.example' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/)
      const etag = res.headers.get('etag')
      expect(etag).toMatch(/^"[\w-]+"$/)
      expect(((await res.json()) as any).name).toBe('Leaf Co-op')
      const again = await fetch(url, { headers: { 'if-none-match': etag as string } })
      expect(again.status).toBe(304)
      const preflight = await fetch(`${s.b.url}/api/v1/directory`, { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/i)
    })

    it('serves /directory.json gzipped with an ETag, valid against its schema, without any imported e-mail address', async () => {
      const raw = await new Promise<{ headers: http.IncomingHttpHeaders, body: Buffer }>((resolve, reject) => {
        http.get(`${s.b.url}/directory.json`, { headers: { 'accept-encoding': 'gzip' } }, res => {
          const chunks: Buffer[] = []
          res.on('data', c => chunks.push(c))
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
        }).on('error', reject)
      })
      expect(raw.headers['content-encoding']).toBe('gzip')
      expect(raw.headers.etag).toMatch(/^"[\w-]+-gz"$/)
      const text = zlib.gunzipSync(raw.body).toString('utf8')
      const feed = JSON.parse(text)
      expect(feed.totalItems).toBe(316)
      expect(new SchemaValidator().validate('objects/directory-feed.schema.json', feed, 'directory feed').entries).toHaveLength(316)
      expect(text).not.toMatch(/redacted@example\.invalid/)
      const plain = await fetch(`${s.b.url}/directory.json`, { headers: { 'accept-encoding': 'identity', 'if-none-match': String(raw.headers.etag) } })
      expect(plain.status).toBe(200)
      expect(plain.headers.get('content-encoding')).toBeNull()
      const notModified = await fetch(`${s.b.url}/directory.json`, { headers: { 'accept-encoding': 'identity', 'if-none-match': String(plain.headers.get('etag')) } })
      expect(notModified.status).toBe(304)
      const nodeinfo = await api(s.b, 'GET', '/nodeinfo/2.1')
      expect(nodeinfo.json.metadata.directory.feed).toBe(`${s.b.url}/directory.json`)
    })

    it('publishes a valid Murmurations profile for each local co-op, and none for a co-op elsewhere', async () => {
      const validate = murmurationsValidator()
      for (const [hub, username] of [[s.b, 'beta'], [s.a, 'webarch'], [s.a, 'leafhost'], [s.a, 'gamma']] as const) {
        const res = await api(hub, 'GET', `/u/${username}/murmurations.json`)
        expect(res.status).toBe(200)
        const valid = validate(res.json)
        expect({ username, errors: validate.errors ?? null, valid }).toEqual({ username, errors: null, valid: true })
      }
      const beta = await api(s.b, 'GET', '/u/beta/murmurations.json')
      expect(beta.json).toMatchObject({
        linked_schemas: ['organizations_schema-v1.0.0'], name: 'Beta Commons Cloud', primary_url: 'https://beta-commons.example',
        country_iso_3166: 'BE', geolocation: { lat: 51.05, lon: 3.72 }, status: 'active'
      })
      expect(beta.json.tags).toEqual(expect.arrayContaining(['helpdesk']))
      expect((await api(s.b, 'GET', '/u/webarch/murmurations.json')).status).toBe(404)
    })

    it('follows changes: a deleted sibling service leaves the index, the co-op stays listed', async () => {
      const before = await directory('?software=nextcloud')
      expect(before.total).toBe(1)
      const deleted = await api(s.a, 'DELETE', '/api/v1/coops/gamma/services/files', s.a.adminToken)
      expect(deleted.status).toBe(204)
      await eventually(async () => (await directory('?software=nextcloud')).total === 0 ? true : undefined, 'B to drop the deleted service')
      const gamma = await directory('?q=gamma')
      expect(gamma.items.map((e: any) => [e.name, e.services.length])).toEqual([['Gamma Files', 0]])
    })
  })
}
