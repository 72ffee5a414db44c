/**
 * The pages and feeds over HTTP on one hub: content negotiation at a co-op's actor URL, HTML
 * escaping, HTML error pages, and no imported e-mail address anywhere the hub publishes.
 */
import { api, AppUnderTest, fetchApp, startAppUnderTest } from '../helpers/app-under-test'
import type { TestStoreKind } from '../helpers/test-store-choice'

/** Registers the page and feed checks with the hub on `store`. */
export function directoryPagesTests (store: TestStoreKind): void {
  let hub: AppUnderTest
  const PERSONAL = 'jane.doe@mail.example'

  beforeAll(async () => {
    hub = await startAppUnderTest({ store })
    const created = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, {
      username: 'tricky', name: 'Tricky <script>alert(1)</script> Co-op', summary: 'Quotes " and <b>tags</b> & ampersands', url: 'https://tricky.example'
    })
    expect(created.status).toBe(201)
    await hub.hub.store.directory.importBatch('ioo.coop/directory', [
      { source: 'ioo.coop/directory', kind: 'imported', sourceId: 'personal', website: 'https://personal.example', name: 'Personal Co-op', status: 'active', contact: { email: PERSONAL } },
      // The same website as the local co-op: merged, and its address still not published.
      { source: 'ioo.coop/directory', kind: 'imported', sourceId: 'tricky', website: 'tricky.example', name: 'Tricky (imported)', status: 'active', contact: { email: 'info@tricky.example' } }
    ], { markMissingGone: true })
  })
  afterAll(async () => { await hub?.stop() })

  const get = async (path: string, accept = 'text/html'): Promise<{ status: number, type: string | null, vary: string | null, text: string }> => {
    const res = await fetchApp(hub, path, { headers: { accept } })
    return { status: res.status, type: res.headers.get('content-type'), vary: res.headers.get('vary'), text: await res.text() }
  }

  describe(`directory pages (${store})`, () => {
    it('serves the co-op page to browsers and ActivityStreams JSON to ActivityPub clients at the actor URL', async () => {
      const html = await get('/u/tricky', 'text/html,application/xhtml+xml')
      expect(html.status).toBe(200)
      expect(html.type).toMatch(/^text\/html/)
      expect(html.vary).toMatch(/Accept/)
      expect(html.text).toContain('<h1>Tricky &lt;script&gt;alert(1)&lt;/script&gt; Co-op</h1>')
      expect(html.text).not.toContain('<script>')
      const json = await get('/u/tricky', 'application/activity+json')
      expect(json.status).toBe(200)
      expect(json.type).toMatch(/^application\/activity\+json/)
      expect(json.vary).toMatch(/Accept/)
      expect(JSON.parse(json.text)).toMatchObject({ type: 'Organization', preferredUsername: 'tricky' })
    })

    it('answers unknown entries and bad searches with HTML error pages', async () => {
      const missing = await get('/directory/no-such-entry-1234')
      expect(missing.status).toBe(404)
      expect(missing.text).toContain('<h1>Not found</h1>')
      const unknownCoop = await get('/u/nobody')
      expect(unknownCoop.status).toBe(404)
      const bad = await get('/?status=sleeping')
      expect(bad.status).toBe(400)
      expect(bad.text).toContain('status must be one of: active, planned, paused, closed')
    })

    it('never republishes an imported e-mail address: not in the API, the feed, a page or a profile', async () => {
      const search = await api(hub, 'GET', '/api/v1/directory?limit=100')
      expect(search.json.total).toBe(2)
      const personal = search.json.items.find((e: any) => e.name === 'Personal Co-op')
      const tricky = search.json.items.find((e: any) => e.local)
      expect(tricky.provenance.map((p: any) => p.kind)).toEqual(['local', 'imported'])
      const outputs = [
        JSON.stringify(search.json),
        (await get(`/api/v1/directory/${personal.id}`, 'application/json')).text,
        (await get('/directory.json', 'application/json')).text,
        (await get(`/directory/${personal.id}`)).text,
        (await get('/u/tricky')).text,
        (await get('/u/tricky/murmurations.json', 'application/json')).text,
        (await get('/?q=personal')).text
      ]
      for (const text of outputs) {
        expect(text).not.toContain(PERSONAL)
        expect(text).not.toContain('info@tricky.example')
      }
    })

    it('serves the stylesheet and pages without scripts, under a strict content security policy', async () => {
      const css = await fetchApp(hub, '/static/directory.css')
      expect(css.status).toBe(200)
      expect(css.headers.get('content-type')).toMatch(/^text\/css/)
      const home = await fetchApp(hub, '/')
      expect(home.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
      const text = await home.text()
      expect(text).not.toMatch(/<script/i)
      expect(text).toContain('<label for="q">Search</label>')
    })

    it('lists the services imported directories give for a cloud next to its co-op\'s own, naming where each came from', async () => {
      const put = await api(hub, 'PUT', '/api/v1/coops/tricky/services/files', hub.adminToken, {
        name: 'Tricky Files', category: 'file-hosting', url: 'https://files.tricky.example/', access: 'members', software: 'Nextcloud'
      })
      expect(put.status).toBeLessThan(300)
      const service = (name: string, url: string, id: string): Record<string, unknown> => ({ id, name, url, category: 'chat', access: 'public' })
      await hub.hub.store.directory.importBatch('chatons.org', [
        // The co-op's own service, listed by the import too: one row naming both sources.
        { source: 'chatons.org', kind: 'imported', sourceId: 'tricky', website: 'https://tricky.example/', name: 'Tricky', status: 'active',
          services: [service('Files (as CHATONS lists it)', 'https://files.tricky.example', 'c1') as never, service('Tricky Chat', 'https://chat.tricky.example/', 'c2') as never] },
        { source: 'chatons.org', kind: 'imported', sourceId: 'personal', website: 'https://personal.example', name: 'Personal', status: 'active',
          services: [service('Personal Pads', 'https://pad.personal.example/', 'c3') as never] }
      ], { markMissingGone: true })

      const rows = (html: string): string[] => [...html.matchAll(/<tr class="service-(\w+)">([\s\S]*?)<\/tr>/g)]
        .map(m => `${m[1]}: ${m[2].replace(/<span class="cell-note">[\s\S]*?<\/span>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()}`)
      let page = ''
      for (let i = 0; i < 50 && !page.includes('Tricky Files'); i++) {
        if (i) await new Promise(resolve => setTimeout(resolve, 100))
        page = (await get('/u/tricky')).text
      }
      const host = new URL(hub.url).host
      expect(rows(page)).toEqual([
        `local: Tricky Files File hosting Nextcloud Members only Not checked yet ${host} (this hub); chatons.org (an imported directory)`,
        'imported: Tricky Chat Chat Open to anyone Not checked yet chatons.org (an imported directory)'
      ])
      // A cloud only an import knows: its services are listed too.
      const personal = (await api(hub, 'GET', '/api/v1/directory?q=personal')).json.items[0]
      expect(rows((await get(`/directory/${personal.id as string}`)).text)).toEqual([
        'imported: Personal Pads Chat Open to anyone Not checked yet chatons.org (an imported directory)'
      ])
    })
  })
}
