import { api } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import type { TestStoreKind } from '../helpers/test-store-choice'

/** Registers the facet label checks with the hub on `store`. */
export function facetLabelTests (store: TestStoreKind): void {
  /** The software facet matches lower-cased keys but shows each project's own spelling, in the API and on the page. */
  describe(`directory facets show display names (${store})`, () => {
    let hub: TestHub

    beforeAll(async () => {
      hub = await startTestHub({}, store)
      const alpha = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha' })).json
      for (const [slug, software, category] of [['video', 'PeerTube', 'video'], ['files', 'Nextcloud', 'file-hosting']]) {
        const res = await api(hub, 'PUT', `/api/v1/coops/alpha/services/${slug}`, alpha.token, { name: `Alpha ${software}`, category, url: `https://${slug}.alpha.example`, access: 'members', software })
        expect(res.status).toBe(201)
      }
    })
    afterAll(async () => { await hub?.stop() })

    it('labels software facet values "Nextcloud" and "PeerTube", not their keys', async () => {
      const res = await api(hub, 'GET', '/api/v1/directory')
      expect(res.json.facets.software).toEqual([
        expect.objectContaining({ value: 'nextcloud', label: 'Nextcloud', count: 1 }),
        expect.objectContaining({ value: 'peertube', label: 'PeerTube', count: 1 })
      ])
      const html = await (await fetch(`${hub.url}/`, { headers: { accept: 'text/html' } })).text()
      const select = /<select id="f-software"[\s\S]*?<\/select>/.exec(html)?.[0] ?? ''
      expect(select).toMatch(/value="peertube"[^>]*>\s*PeerTube/)
      expect(select).toMatch(/value="nextcloud"[^>]*>\s*Nextcloud/)
      expect(select).not.toMatch(/>\s*peertube/)
    })
  })
}
