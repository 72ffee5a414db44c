/**
 * Contract suite of `DirectoryRepository`: every adapter runs it (SQLite in
 * sqlite.directory.test.ts). It tests through the port only.
 */
import { ValidationError } from '../../src/errors/app-errors'
import type { DirectoryQuery, DirectoryRepository, FacetName, SourceEntry } from '../../src/store/ports/directory.port'

/** A source record with sensible defaults. */
export function record (overrides: Partial<SourceEntry> & Pick<SourceEntry, 'sourceId' | 'website' | 'name'>): SourceEntry {
  return { source: 'ioo.coop/directory', kind: 'imported', status: 'active', ...overrides }
}

const coopService = (id: string, category: string, extra: Record<string, unknown> = {}): NonNullable<SourceEntry['services']>[number] => ({
  id, name: 'Members service', url: 'https://svc.example', category, access: 'members', ...extra
})

/** Runs the suite on fresh repositories from `make`. */
export function directoryRepositoryContract (adapter: string, make: () => Promise<{ repo: DirectoryRepository, dispose: () => Promise<void> | void }>): void {
  describe(`DirectoryRepository contract: ${adapter}`, () => {
    let repo: DirectoryRepository
    let dispose: () => Promise<void> | void

    beforeEach(async () => {
      ({ repo, dispose } = await make())
    })
    afterEach(async () => { await dispose() })

    const everything = (overrides: Partial<DirectoryQuery> = {}): DirectoryQuery => ({ terms: [], filters: {}, sort: 'name', limit: 100, ...overrides })

    it('adds, recognises an unchanged record, and records a change', async () => {
      const a = record({ sourceId: 'a', website: 'https://a.example', name: 'Alpha' })
      expect(await repo.upsertSourceEntry(a)).toBe('added')
      const v1 = await repo.version()
      expect(await repo.upsertSourceEntry(a)).toBe('unchanged')
      expect(await repo.version()).toBe(v1)
      expect(await repo.upsertSourceEntry({ ...a, summary: 'now with words' })).toBe('changed')
      expect(await repo.version()).toBeGreaterThan(v1)
      const [entry] = await repo.listEntries()
      expect(entry).toMatchObject({ name: 'Alpha', summary: 'now with words', kind: 'imported', local: false, url: 'https://a.example' })
      expect(await repo.getEntry(entry.id)).toEqual(entry)
    })

    it('merges records of one website (scheme and www. aside), federated data over imported, keeping provenance', async () => {
      await repo.upsertSourceEntry(record({
        sourceId: 'webarch', website: 'http://www.Webarchitects.coop/', name: 'Webarchitects (old name)', summary: 'imported words',
        tags: ['web hosting', 'cloud'], contact: { email: 'person@webarchitects.coop' }, location: { address: 'Sheffield', lat: 53.38, lon: -1.47 }
      }))
      await repo.upsertSourceEntry(record({
        source: 'hub.example', kind: 'federated', sourceId: 'https://hub.example/u/webarch', website: 'https://webarchitects.coop',
        name: 'Webarchitects Co-operative', actor: 'https://hub.example/u/webarch', tags: ['Cloud', 'email'],
        services: [coopService('https://hub.example/u/webarch/services/web', 'web-hosting', { acceptingMembers: true })],
        contact: { email: 'info@webarchitects.coop' }
      }))
      const entries = await repo.listEntries()
      expect(entries).toHaveLength(1)
      const [entry] = entries
      expect(entry).toMatchObject({
        name: 'Webarchitects Co-operative', summary: 'imported words', kind: 'coop-cloud', url: 'https://webarchitects.coop',
        actor: 'https://hub.example/u/webarch', location: { address: 'Sheffield', lat: 53.38, lon: -1.47 }
      })
      expect(entry.tags).toEqual(['Cloud', 'email', 'web hosting'])
      expect(entry.services.map(s => s.category)).toEqual(['web-hosting'])
      expect(entry.provenance.map(p => [p.kind, p.source, p.sourceId])).toEqual([
        ['federated', 'hub.example', 'https://hub.example/u/webarch'],
        ['imported', 'ioo.coop/directory', 'webarch']
      ])
      // Neither the imported nor the federated address is republished.
      expect(JSON.stringify(entry)).not.toContain('@webarchitects.coop')
      expect((await repo.getEntryByActor('https://hub.example/u/webarch'))?.id).toBe(entry.id)
    })

    it('falls back to the remaining source when one is removed, and drops the entry with the last', async () => {
      await repo.upsertSourceEntry(record({ sourceId: 'x', website: 'x.example', name: 'X imported' }))
      await repo.upsertSourceEntry(record({ source: 'hub.example', kind: 'federated', sourceId: 'https://hub.example/u/x', website: 'https://x.example', name: 'X federated' }))
      expect((await repo.listEntries()).map(e => e.name)).toEqual(['X federated'])
      expect(await repo.removeSourceEntry('hub.example', 'https://hub.example/u/x')).toBe(true)
      expect((await repo.listEntries()).map(e => [e.name, e.kind])).toEqual([['X imported', 'imported']])
      expect(await repo.removeSourceEntry('hub.example', 'https://hub.example/u/x')).toBe(false)
      expect(await repo.removeSourceEntry('ioo.coop/directory', 'x')).toBe(true)
      expect(await repo.listEntries()).toEqual([])
      expect((await repo.search(everything())).total).toBe(0)
    })

    it('moves a record whose website changed to its new entry', async () => {
      await repo.upsertSourceEntry(record({ sourceId: 'm', website: 'https://old.example', name: 'Mover' }))
      const before = (await repo.listEntries())[0].id
      expect(await repo.upsertSourceEntry(record({ sourceId: 'm', website: 'https://new.example', name: 'Mover' }))).toBe('changed')
      const after = await repo.listEntries()
      expect(after).toHaveLength(1)
      expect(after[0].id).not.toBe(before)
      expect(await repo.getEntry(before)).toBeNull()
    })

    it('imports a batch: counts added, changed, unchanged and gone; gone records leave the index and may come back', async () => {
      const batch = [
        record({ sourceId: 'a', website: 'a.example', name: 'A' }),
        record({ sourceId: 'b', website: 'b.example', name: 'B' }),
        record({ sourceId: 'c', website: 'c.example', name: 'C' })
      ]
      expect(await repo.importBatch('ioo.coop/directory', batch, { markMissingGone: true })).toEqual({ added: 3, changed: 0, unchanged: 0, gone: 0 })
      const second = [batch[0], { ...batch[1], summary: 'changed' }, record({ sourceId: 'd', website: 'd.example', name: 'D' })]
      expect(await repo.importBatch('ioo.coop/directory', second, { markMissingGone: true })).toEqual({ added: 1, changed: 1, unchanged: 1, gone: 1 })
      expect((await repo.listEntries()).map(e => e.name)).toEqual(expect.arrayContaining(['A', 'B', 'D']))
      expect((await repo.search(everything())).items.map(e => e.name)).toEqual(['A', 'B', 'D'])
      const stored = await repo.listSourceEntries('ioo.coop/directory')
      expect(stored.find(s => s.entry.sourceId === 'c')?.goneAt).toEqual(expect.any(String))
      expect(await repo.listLiveSourceIds('ioo.coop/directory')).toEqual(['a', 'b', 'd'])
      expect(await repo.listLiveSourceIds('another source')).toEqual([])
      // Without marking, missing records stay; a gone one that reappears counts as changed.
      expect(await repo.importBatch('ioo.coop/directory', [batch[2]], { markMissingGone: false })).toEqual({ added: 0, changed: 1, unchanged: 0, gone: 0 })
      expect((await repo.search(everything())).items.map(e => e.name)).toEqual(['A', 'B', 'C', 'D'])
    })

    it('imports a batch of well over a thousand records: each counted and merged once, changes and gone records across the whole batch', async () => {
      const first = Array.from({ length: 1234 }, (_v, i) => record({
        sourceId: `r${i}`, name: `Cloud ${i}`,
        // Every hundredth record names the website of the one before it: the two merge into one entry (13 pairs).
        website: i % 100 === 1 ? `cloud-${i - 1}.example` : `cloud-${i}.example`
      }))
      expect(await repo.importBatch('ioo.coop/directory', first, { markMissingGone: true })).toEqual({ added: 1234, changed: 0, unchanged: 0, gone: 0 })
      const at = async (website: string): Promise<string[]> => {
        const entry = (await repo.listEntries()).find(e => e.url === `https://${website}`)
        if (!entry) return []
        return (await repo.listEntrySources(entry.id)).map(r => `${r.entry.sourceId}${r.entry.summary ? ` (${r.entry.summary})` : ''}`).sort()
      }
      expect(await repo.listEntries()).toHaveLength(1234 - 13)
      expect(await at('cloud-1100.example')).toEqual(['r1100', 'r1101'])
      const v1 = await repo.version()
      // Second run: the first 934 records, every seventh changed (134), r901 moved to a website of
      // its own (changed), 5 new records; the last 300 are gone.
      const second = first.slice(0, 934).map((r, i) => i % 7 === 0 ? { ...r, summary: `changed ${i}` } : r)
      second[901] = { ...second[901], website: 'cloud-901-own.example' }
      second.push(...Array.from({ length: 5 }, (_v, i) => record({ sourceId: `new${i}`, website: `new-${i}.example`, name: `New ${i}` })))
      expect(await repo.importBatch('ioo.coop/directory', second, { markMissingGone: true })).toEqual({ added: 5, changed: 135, unchanged: 799, gone: 300 })
      expect(await repo.version()).toBeGreaterThan(v1)
      // The first 934 records were on 924 websites; r901 now has its own, and 5 are new.
      expect(await repo.listEntries()).toHaveLength(924 + 1 + 5)
      expect(await at('cloud-900.example')).toEqual(['r900'])
      expect(await at('cloud-901-own.example')).toEqual(['r901'])
      expect(await at('cloud-800.example')).toEqual(['r800', 'r801'])
      expect(await at('cloud-931.example')).toEqual(['r931 (changed 931)'])
      expect(await at('cloud-934.example')).toEqual([])
      expect(await at('new-4.example')).toEqual(['new4'])
      expect(await repo.listLiveSourceIds('ioo.coop/directory')).toHaveLength(939)
      // The same run again changes nothing, not even the version.
      const v2 = await repo.version()
      expect(await repo.importBatch('ioo.coop/directory', second, { markMissingGone: true })).toEqual({ added: 0, changed: 0, unchanged: 939, gone: 0 })
      expect(await repo.version()).toBe(v2)
    })

    it('lists the live records merged into one entry, most trusted first', async () => {
      await repo.importBatch('ioo.coop/directory', [record({ sourceId: 'x', website: 'https://x.example/', name: 'X imported' }), record({ sourceId: 'y', website: 'y.example', name: 'Y' })], { markMissingGone: true })
      await repo.upsertSourceEntry(record({ source: 'hub.example', kind: 'federated', sourceId: 'https://hub.example/u/x', website: 'x.example', name: 'X', services: [coopService('s1', 'chat')] }))
      await repo.importBatch('chatons.org', [record({ source: 'chatons.org', sourceId: 'x', website: 'http://www.x.example', name: 'X (CHATONS)' })], { markMissingGone: true })
      const entry = (await repo.search(everything({ terms: ['x'] }))).items[0]
      const records = await repo.listEntrySources(entry.id)
      expect(records.map(r => [r.entry.source, r.entry.sourceId, r.entryId, r.goneAt])).toEqual([
        ['hub.example', 'https://hub.example/u/x', entry.id, null], ['chatons.org', 'x', entry.id, null], ['ioo.coop/directory', 'x', entry.id, null]
      ])
      expect(records[0].entry.services?.map(s => s.id)).toEqual(['s1'])
      // A record its source no longer lists is left out.
      await repo.importBatch('chatons.org', [], { markMissingGone: true })
      expect((await repo.listEntrySources(entry.id)).map(r => r.entry.source)).toEqual(['hub.example', 'ioo.coop/directory'])
      expect(await repo.listEntrySources('no-such-entry')).toEqual([])
    })

    it('stores nothing of a batch that has a bad record', async () => {
      const batch = [record({ sourceId: 'ok', website: 'ok.example', name: 'OK' }), record({ sourceId: 'bad', website: 'not a website', name: 'Bad' })]
      await expect(repo.importBatch('ioo.coop/directory', batch, { markMissingGone: true })).rejects.toThrow(ValidationError)
      await expect(repo.importBatch('ioo.coop/directory', [batch[0], batch[0]], { markMissingGone: true })).rejects.toThrow(ValidationError)
      await expect(repo.importBatch('other', [batch[0]], { markMissingGone: true })).rejects.toThrow(ValidationError)
      expect(await repo.listEntries()).toEqual([])
      expect(await repo.listSourceEntries('ioo.coop/directory')).toEqual([])
    })

    describe('search', () => {
      beforeEach(async () => {
        await repo.importBatch('ioo.coop/directory', [
          record({ sourceId: 'hcoop', website: 'hcoop.net', name: 'HCoop', summary: 'the internet hosting cooperative', tags: ['web hosting'], location: { country: 'US' } }),
          record({ sourceId: 'cycle', website: 'coopcycle.org', name: 'CoopCycle', summary: 'a delivery platform that can be self-hosted', tags: ['food'], location: { country: 'FR' } }),
          record({ sourceId: 'loomio', website: 'loomio.org', name: 'Loomio', summary: 'decisions together', tags: ['software'], status: 'active', location: { country: 'NZ' } }),
          record({ sourceId: 'zed', website: 'zed.example', name: 'Zed Co-op', summary: 'closed down', status: 'closed' })
        ], { markMissingGone: true })
        await repo.upsertSourceEntry(record({
          source: 'hub.example', kind: 'federated', sourceId: 'https://hub.example/u/alpha', website: 'https://alpha.example', name: 'Alpha Cloud',
          summary: 'files for members', location: { country: 'DE' }, languages: ['de', 'en'],
          services: [coopService('https://hub.example/u/alpha/services/files', 'file-hosting', { software: { name: 'Nextcloud' }, acceptingMembers: true })]
        }))
      })

      it('ranks the best match first and only returns matches', async () => {
        const page = await repo.search(everything({ terms: ['hosting'], sort: 'relevance' }))
        // A tag and summary match before a summary word (self-hosted); file-hosting is not "hosting".
        expect(page.items.map(e => e.name)).toEqual(['HCoop', 'CoopCycle'])
        expect((await repo.search(everything({ terms: ['nextcloud'] }))).items.map(e => e.name)).toEqual(['Alpha Cloud'])
        expect((await repo.search(everything({ terms: ['hosting', 'food'] }))).items.map(e => e.name)).toEqual(['CoopCycle'])
        // Characters that are FTS5 syntax are only words here.
        expect((await repo.search(everything({ terms: ['"hosting', 'OR', '*'] }))).total).toBe(0)
      })

      it('filters, and every facet count equals what its filter returns', async () => {
        const base = everything({ filters: { kind: 'imported' } })
        const page = await repo.search(base)
        expect(page.items.map(e => e.name)).toEqual(['CoopCycle', 'HCoop', 'Loomio', 'Zed Co-op'])
        expect(page.facets.kind).toEqual([{ value: 'imported', count: 4 }, { value: 'coop-cloud', count: 1 }])
        expect(page.facets.category).toEqual([{ value: 'web-hosting', count: 1 }])
        for (const [facet, counts] of Object.entries(page.facets) as Array<[FacetName, Array<{ value: string, count: number }>]>) {
          for (const { value, count } of counts) {
            const filtered = await repo.search({ ...base, filters: { ...base.filters, [facet]: value } })
            expect([facet, value, filtered.total]).toEqual([facet, value, count])
          }
        }
        const alpha = await repo.search(everything({ filters: { software: 'nextcloud', accepting: 'yes', language: 'de', country: 'DE', source: 'hub.example' } }))
        expect(alpha.items.map(e => e.name)).toEqual(['Alpha Cloud'])
        expect((await repo.search(everything({ filters: { status: 'closed' } }))).items.map(e => e.name)).toEqual(['Zed Co-op'])
      })

      it('pages through every sort with each entry exactly once', async () => {
        for (const sort of ['relevance', 'name', 'updated'] as const) {
          const seen: string[] = []
          let after: DirectoryQuery['after']
          for (let i = 0; i < 10; i++) {
            const page = await repo.search(everything({ sort, limit: 2, after }))
            expect(page.total).toBe(5)
            seen.push(...page.items.map(e => e.id))
            if (!page.next) break
            after = page.next
          }
          expect(seen).toHaveLength(5)
          expect(new Set(seen).size).toBe(5)
        }
        const relevance = await repo.search(everything({ sort: 'relevance', limit: 1 }))
        expect(relevance.items[0].name).toBe('Alpha Cloud')
      })

      it('refuses a position from another sort order', async () => {
        const page = await repo.search(everything({ sort: 'name', limit: 1 }))
        await expect(repo.search(everything({ sort: 'relevance', terms: ['hosting'], after: page.next ?? undefined }))).rejects.toThrow(ValidationError)
      })
    })
  })
}
