/**
 * The directory pages in real headless Chromium (Debian's `chromium`, driven by playwright-core):
 * search, filter, open a co-op, keyboard use, axe-core with no serious or critical violations,
 * no console errors. Screenshots go to test-output/screenshots/ (postgresql/ in it for the run on
 * PostgreSQL) for a person to look at.
 * Without Chromium this suite fails: .ci/run installs it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BrowserContext, chromium, Page } from 'playwright-core'
import { DirectoryScenario, startDirectoryScenario } from './directory-scenario'
import { seedPoolsAndAgreements } from './network-seed'
import { seedUmbrella } from './umbrella-seed'
import type { TestStoreKind } from '../helpers/test-store-choice'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** Registers the Chromium checks with both hubs on `store`. */
export function directoryBrowserTests (store: TestStoreKind): void {
  // Each store's run keeps its own screenshots: the two may run at the same time.
  const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots', ...(store === 'sqlite' ? [] : [store]))

  let s: DirectoryScenario
  let context: BrowserContext
  let profileDir: string
  let webarchId: string

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (npm test does this when it runs as root) or set CHROMIUM_PATH`)
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
    s = await startDirectoryScenario(store)
    const seed = await seedPoolsAndAgreements(s)
    await seedUmbrella(s.b, [s.beta.id, seed.delta.id, s.siblings.webarch])
    webarchId = (await s.b.hub.directory.forActor(s.siblings.webarch))?.id ?? ''
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-chromium-'))
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 }
    })
  }, 120_000)

  afterAll(async () => {
    await context?.close()
    await s?.stop()
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true })
  })

  /** A fresh tab that records console errors and uncaught exceptions. */
  async function openPage (): Promise<{ page: Page, errors: string[] }> {
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', msg => { if (msg.type() === 'error') errors.push(msg.text()) })
    page.on('pageerror', err => errors.push(err.message))
    return { page, errors }
  }

  /** axe-core's serious and critical violations on the page as it is now. */
  async function seriousViolations (page: Page): Promise<Array<{ id: string, impact: string, nodes: string[] }>> {
    // Evaluated through the DevTools protocol, so the page's strict CSP (no scripts) stays on.
    await page.evaluate(AXE_SOURCE)
    // Page-side code as text: it runs in the browser, not under Node's types.
    const violations = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then(result =>
      result.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))`) as Array<{ id: string, impact: string, nodes: string[] }>
    return violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  }

  async function shot (page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
  }

  describe(`directory pages in Chromium (${store})`, () => {
    it('searches and filters with the form, without JavaScript errors', async () => {
      const { page, errors } = await openPage()
      await page.goto(`${s.b.url}/`)
      expect(await page.locator('h1').textContent()).toBe('Find a co-operative cloud')
      expect(await page.locator('.count').textContent()).toBe('317 clouds match.')
      await shot(page, 'home')

      await page.getByRole('searchbox', { name: 'Search' }).fill('hosting')
      await Promise.all([page.waitForURL(/q=hosting/), page.getByRole('searchbox', { name: 'Search' }).press('Enter')])
      const first = await page.locator('.results h3').allTextContents()
      expect(first.slice(0, 3)).toEqual(expect.arrayContaining([expect.stringMatching(/Webarchitects|HCoop|WebHosting|Leaf|Dark Peak|Interchanges/)]))
      await shot(page, 'search-hosting')

      // The filter shows its count; choosing it returns exactly that many.
      const option = page.locator('#f-country option[value="GB"]')
      const count = Number(/\((\d+)\)$/.exec(await option.textContent() ?? '')?.[1])
      expect(count).toBeGreaterThan(0)
      await page.selectOption('#f-country', 'GB')
      await Promise.all([page.waitForURL(/country=GB/), page.locator('.form-actions button').click()])
      expect(await page.locator('.results > li').count()).toBe(count)
      expect(await page.locator('.results h3').allTextContents()).toContain('Webarchitects Co-operative')
      expect(await page.locator('.active-filters a').textContent()).toMatch(/Country: United Kingdom/)
      await shot(page, 'search-hosting-gb')
      expect(errors).toEqual([])
      await page.close()
    }, 60_000)

    it('opens a co-op page with its services, pools and agreements', async () => {
      const { page, errors } = await openPage()
      await page.goto(`${s.b.url}/?q=beta+commons`)
      await Promise.all([page.waitForURL(/\/u\/beta$/), page.getByRole('link', { name: 'Beta Commons Cloud' }).click()])
      expect(await page.locator('h1').textContent()).toBe('Beta Commons Cloud')
      expect(await page.locator('table.services tbody tr').count()).toBe(1)
      expect(await page.locator('table.services').textContent()).toContain('Beta Helpdesk')
      expect(await page.locator('#pool-0-pledged').textContent()).toBe('Pledged: €650.00 of €1,000.00 (65%)')
      expect(await page.locator('progress').first().getAttribute('value')).toBe('65')
      const partners = await page.locator('.agreements a').allTextContents()
      expect(partners.sort()).toEqual(['Delta Data Co-op', 'Webarchitects Co-operative'])
      await shot(page, 'coop-beta')
      await Promise.all([page.waitForURL(new RegExp(`/directory/${webarchId}$`)), page.getByRole('link', { name: 'Webarchitects Co-operative' }).click()])
      expect(await page.locator('h1').textContent()).toBe('Webarchitects Co-operative')
      expect(await page.locator('.sources li').count()).toBe(2)
      await shot(page, 'coop-webarchitects')
      expect(errors).toEqual([])
      await page.close()
    }, 60_000)

    it('opens an umbrella from the navigation: members on the map, committed totals, tallies in words', async () => {
      const { page, errors } = await openPage()
      await page.goto(`${s.b.url}/`)
      await Promise.all([page.waitForURL(/\/umbrellas$/), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Umbrellas' }).click()])
      await Promise.all([page.waitForURL(/\/u\/commons$/), page.getByRole('link', { name: 'Commons Cloud Alliance' }).click()])
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Commons Cloud Alliance')
      expect(await page.locator('.members > li > a').allTextContents()).toEqual(['Beta Commons Cloud', 'Delta Data Co-op', 'Webarchitects Co-operative'])
      // Beta, Delta and Webarchitects (followed from hub A, so in the directory) all have a place.
      expect(await page.locator('svg.world-map .point').count()).toBe(3)
      expect(await page.locator('.total').allTextContents()).toEqual(['Developer hours: 100.30 hours in all', 'Money in EUR: €100.30 in all', 'Money in USD: $50.00 in all'])
      const tally = page.getByRole('list', { name: 'Votes on: Shall we fund a second developer for the sync work?' })
      expect(await tally.getByRole('listitem').allTextContents()).toEqual(['agree: 1 vote (50%)', 'abstain: no votes (0%)', 'disagree: 1 vote (50%)', 'block: no votes (0%)'])
      await shot(page, 'umbrella-commons')
      expect(errors).toEqual([])
      await page.close()
    }, 60_000)

    it('works from the keyboard: skip link, search box, results, a co-op page', async () => {
      const { page, errors } = await openPage()
      await page.goto(`${s.b.url}/`)
      await page.keyboard.press('Tab')
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to the main content')
      await page.keyboard.press('Enter')
      expect(await page.evaluate('document.activeElement.id')).toBe('main')
      await page.keyboard.press('Tab')
      expect(await page.evaluate('document.activeElement.id')).toBe('q')
      await page.keyboard.type('leaf')
      await Promise.all([page.waitForURL(/q=leaf/), page.keyboard.press('Enter')])
      let reached = false
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab')
        reached = await page.evaluate("document.activeElement.textContent === 'Leaf Co-op'")
      }
      expect(reached).toBe(true)
      const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')
      expect(outline).toBe('solid')
      await Promise.all([page.waitForURL(/\/directory\//), page.keyboard.press('Enter')])
      expect(await page.locator('h1').textContent()).toBe('Leaf Co-op')
      expect(errors).toEqual([])
      await page.close()
    }, 60_000)

    it('has no serious or critical accessibility violations on any page, nor console errors', async () => {
      const pages: Array<[string, string]> = [
        ['home-axe', '/'], ['search-axe', '/?q=cloud&kind=coop-cloud'], ['coop-axe', '/u/beta'], ['entry-axe', `/directory/${webarchId}`],
        ['pools', '/pools'], ['network', '/network'], ['map', '/map'], ['umbrella-axe', '/u/commons'], ['umbrellas', '/umbrellas']
      ]
      for (const [name, url] of pages) {
        const { page, errors } = await openPage()
        const response = await page.goto(`${s.b.url}${url}`)
        expect({ url, status: response?.status() }).toEqual({ url, status: 200 })
        expect({ url, violations: await seriousViolations(page) }).toEqual({ url, violations: [] })
        expect({ url, errors }).toEqual({ url, errors: [] })
        await shot(page, name)
        await page.close()
      }
    }, 120_000)

    it('draws the network and the map, and fits a phone screen', async () => {
      const { page } = await openPage()
      await page.goto(`${s.b.url}/network`)
      expect(await page.locator('svg.network line.edge').count()).toBe(2)
      expect(await page.locator('svg.network a.node').count()).toBe(5)
      await page.goto(`${s.b.url}/map`)
      // 237 IoO entries with coordinates (Webarchitects merged) and five co-op clouds with a location.
      expect(await page.locator('svg.world-map a.point').count()).toBe(241)
      expect(await page.locator('svg.world-map .point-coop').count()).toBe(5)
      await page.setViewportSize({ width: 375, height: 800 })
      for (const [name, url] of [['home-phone', '/'], ['coop-beta-phone', '/u/beta'], ['pools-phone', '/pools'], ['umbrella-phone', '/u/commons']]) {
        await page.goto(`${s.b.url}${url}`)
        expect({ url, overflow: await page.evaluate('document.documentElement.scrollWidth > window.innerWidth') }).toEqual({ url, overflow: false })
        await shot(page, name)
      }
      await page.close()
    }, 60_000)

    it('keeps the network readable on a 390 px phone: a list of the clouds replaces the drawing', async () => {
      const { page } = await openPage()
      // Rendered label sizes: an SVG label is its font size scaled by the drawing's width over its viewBox's.
      const visibleLabelSizes = `(() => {
        const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
        const sizes = []
        for (const svg of document.querySelectorAll('svg.network')) {
          if (!visible(svg)) continue
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width
          for (const t of svg.querySelectorAll('text')) sizes.push(parseFloat(getComputedStyle(t).fontSize) * scale)
        }
        for (const li of document.querySelectorAll('.network-list li')) if (visible(li)) sizes.push(parseFloat(getComputedStyle(li).fontSize))
        return sizes
      })()`
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(`${s.b.url}/network`)
      await page.screenshot({ path: path.join(SCREENSHOTS, 'network-phone.png'), fullPage: true })
      expect(await page.locator('svg.network').isVisible()).toBe(false)
      const list = page.locator('.network-list li')
      expect(await list.count()).toBe(5)
      expect(await page.locator('.network-list a').count()).toBe(5)
      expect(await list.filter({ hasText: 'active agreements with' }).count()).toBeGreaterThan(0)
      let sizes = await page.evaluate(visibleLabelSizes) as number[]
      expect(sizes.length).toBe(5)
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12)
      expect(await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')).toBe(false)

      await page.setViewportSize({ width: 1280, height: 900 })
      expect(await page.locator('svg.network').isVisible()).toBe(true)
      expect(await page.locator('.network-list').isVisible()).toBe(false)
      sizes = await page.evaluate(visibleLabelSizes) as number[]
      expect(sizes.length).toBe(5)
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12)
      // The last width that still shows the drawing keeps its labels at 12 px or more.
      await page.setViewportSize({ width: 769, height: 900 })
      sizes = await page.evaluate(visibleLabelSizes) as number[]
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12)
      await page.close()
    }, 60_000)

    it('numbers the pools inside their cards, with no marker beside them', async () => {
      const { page } = await openPage()
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(`${s.b.url}/pools`)
      const cards = await page.evaluate(`[...document.querySelectorAll('ol.pools > li')].map(li => ({
        marker: getComputedStyle(li).listStyleType,
        number: getComputedStyle(li.querySelector('.pool > h2'), '::before').content,
        outside: li.querySelector('.pool').getBoundingClientRect().left - li.parentElement.getBoundingClientRect().left
      }))`) as Array<{ marker: string, number: string, outside: number }>
      expect(cards.length).toBeGreaterThan(1)
      for (const card of cards) expect(card).toEqual({ marker: 'none', number: 'counter(pool) ". "', outside: 0 })
      await page.goto(`${s.b.url}/u/beta`)
      const markers = await page.evaluate(`[...document.querySelectorAll('ul.pools > li')].map(li => getComputedStyle(li).listStyleType)`) as string[]
      expect(markers.length).toBeGreaterThan(0)
      expect(new Set(markers)).toEqual(new Set(['none']))
      await page.close()
    }, 60_000)
  })
}
