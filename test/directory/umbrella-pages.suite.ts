/**
 * The umbrella's page at its actor URL for browsers, and the list of umbrellas: members, the
 * project's milestones and exact committed totals, live tallies and past outcomes, on one hub.
 */
import { api } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { seedUmbrella, UmbrellaSeed } from './umbrella-seed'
import type { TestStoreKind } from '../helpers/test-store-choice'

/** Registers the umbrella page checks with the hub on `store`. */
export function umbrellaPagesTests (store: TestStoreKind): void {
  let hub: TestHub
  let seed: UmbrellaSeed

  beforeAll(async () => {
    hub = await startTestHub({}, store)
    const ids: string[] = []
    for (const [username, name, latitude, longitude] of [['north', 'North <Cloud> Co-op', 59.33, 18.07], ['south', 'South Files', 38.72, -9.14], ['east', 'East Mail', 0, 0]] as const) {
      const body: Record<string, unknown> = { username, name, summary: `${name} hosts things` }
      if (username !== 'east') body.location = { name: 'somewhere', country: 'SE', latitude, longitude }
      const created = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, body)
      expect(created.status).toBe(201)
      ids.push(created.json.id)
    }
    seed = await seedUmbrella(hub, ids)
  }, 30_000)
  afterAll(async () => { await hub?.stop() })

  const get = async (path: string, accept = 'text/html'): Promise<{ status: number, type: string | null, text: string }> => {
    const res = await fetch(`${hub.url}${path}`, { headers: { accept } })
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() }
  }

  /** The page's text with tags dropped and white space collapsed, as a reader meets it. */
  const words = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ')

  describe(`the umbrella page (${store})`, () => {
    it('is served to browsers at the actor URL, and the Group actor to ActivityPub clients', async () => {
      const html = await get('/u/commons', 'text/html,application/xhtml+xml')
      expect(html.status).toBe(200)
      expect(html.type).toMatch(/^text\/html/)
      expect(html.text).toContain('<h1>Commons Cloud Alliance</h1>')
      expect(html.text).toContain('<link rel="alternate" type="application/activity+json" href="' + seed.id + '">')
      const json = await get('/u/commons', 'application/activity+json')
      expect(JSON.parse(json.text)).toMatchObject({ id: seed.id, type: ['Group', 'ioo:Umbrella'] })
      // A co-op's page is still the co-op's.
      expect((await get('/u/south')).text).toContain('<h1>South Files</h1>')
    })

    it('lists the members (escaped) and places the located ones on the map', async () => {
      const { text } = await get('/u/commons')
      const page = words(text)
      expect(page).toContain('3 member co-ops.')
      expect(text).toContain('North &lt;Cloud&gt; Co-op')
      expect(text).not.toContain('North <Cloud>')
      for (const name of ['South Files', 'East Mail']) expect(page).toContain(name)
      expect(text.match(/<a href="\/u\/(north|south|east)" class="point">/g)).toHaveLength(2)
      expect(page).toContain('1 member has no location and is not on the map.')
    })

    it('shows the project with its milestones and exact committed totals per currency and per member', async () => {
      const page = words((await get('/u/commons')).text)
      expect(page).toContain('Calendar sync rewrite')
      expect(page).toMatch(/Design the sync protocol Done due Oct 1, 2026/)
      expect(page).toMatch(/Ship it upstream In progress/)
      expect(page).toContain('Funded by: Calendar sync fund')
      expect(page).toContain('Developer hours: 100.30 hours in all')
      expect(page).toContain('North <Cloud> Co-op: 100.10 hours (99% of the total)')
      expect(page).toContain('South Files: 0.20 hours (0% of the total)')
      expect(page).toContain('Money in EUR: €100.30 in all')
      expect(page).toContain('Money in USD: $50.00 in all')
      expect(page).toContain('South Files: $50.00 (100% of the total)')
    })

    it('shows open decisions with live tallies and past decisions with their outcome', async () => {
      const { text } = await get('/u/commons')
      const page = words(text)
      const open = page.slice(page.indexOf('Open decisions'), page.indexOf('Past decisions'))
      const past = page.slice(page.indexOf('Past decisions'))
      expect(open).toContain('Shall we fund a second developer for the sync work?')
      expect(open).toContain('2 of 3 member co-ops voted')
      expect(open).toContain('agree: 1 vote (50%)')
      expect(open).toContain('disagree: 1 vote (50%)')
      expect(open).toContain('block: no votes (0%)')
      expect(past).toContain('Approve the calendar sync rewrite as a shared project?')
      expect(past).toContain('Passed')
      expect(past).toContain('agree: 2 votes (100%)')
      expect(past).toContain('Action: approve the project Calendar sync rewrite (applied)')
      // One SVG bar per option of each decision, its fill as wide as the share.
      expect(text.match(/class="bar-fill bar-vote" x="0" y="0" width="50"/g)).toHaveLength(2)
      expect(text.match(/class="bar-fill bar-vote"/g)).toHaveLength(8)
    })

    it('lists the hub\'s umbrellas, linked from the site navigation', async () => {
      const list = await get('/umbrellas')
      expect(list.status).toBe(200)
      expect(list.text).toContain('<a href="/u/commons">Commons Cloud Alliance</a>')
      expect(words(list.text)).toContain('3 member co-ops · By approval of the umbrella')
      expect((await get('/')).text).toContain('<a href="/umbrellas">Umbrellas</a>')
    })
  })
}
