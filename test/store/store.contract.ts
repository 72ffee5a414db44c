/**
 * The storage port's contract: every adapter (SQLite, PostgreSQL) must pass this suite.
 * It tests through `HubStore` only. Hub queries are awaited so the suite survives a port that
 * turns them asynchronous.
 */
import type { ApexNode, HubStore } from '../../src/store/store.port'
import { describeApexActivityContract } from './store.contract.activities'
import { describeHubQueriesContract } from './store.contract.hub'
import { describeOutboxContract } from './store.contract.outbox'
import { fixtures, rejectionOf, withoutMeta } from './store.fixtures'

/**
 * Registers the whole contract for one adapter. `makeStore` gives a fresh, empty store per test;
 * `dispose` (default: `close()`) runs after each test and must accept an already closed store.
 */
export function describeStoreContract (
  adapterName: string,
  makeStore: () => Promise<HubStore> | HubStore,
  dispose: (s: HubStore) => Promise<void> | void = s => s.close()
): void {
  describe(`HubStore contract: ${adapterName}`, () => {
    const current: { store?: HubStore } = {}
    const store = (): HubStore => {
      if (current.store === undefined) throw new Error('store not opened')
      return current.store
    }
    beforeEach(async () => { current.store = await makeStore() })
    afterEach(async () => {
      if (current.store !== undefined) await dispose(current.store)
      current.store = undefined
    })

    describe('objects', () => {
      const alice = fixtures.actor('alice', { local: true })

      it('saves an object once and reads it back, _meta only when includeMeta === true', async () => {
        expect(await store().saveObject(alice)).toBe(true)
        const publicDoc = withoutMeta(alice)
        expect(await store().getObject(alice.id)).toEqual(publicDoc)
        expect(await store().getObject(alice.id, false)).toEqual(publicDoc)
        // strict: a merely truthy flag must not leak private keys
        expect(await store().getObject(alice.id, 1 as unknown as boolean)).toEqual(publicDoc)
        expect(await store().getObject(alice.id, true)).toEqual(alice)
        expect(await store().getObject('https://hub.test/u/nobody', true)).toBeNull()
      })

      it('saveObject is first-writer-wins: a duplicate id answers false and changes nothing', async () => {
        await store().saveObject(alice)
        expect(await store().saveObject({ ...alice, name: ['Impostor'], _meta: {} })).toBe(false)
        const stored = await store().getObject(alice.id, true)
        expect(stored?.name).toBeUndefined()
        expect(stored?._meta?.privateKey).toBe('PRIVATE-KEY-alice')
      })

      it('updateObject with fullReplace replaces the document but keeps the stored _meta when none is given', async () => {
        await store().saveObject({ ...alice, summary: ['old'] })
        const replacement: ApexNode = { id: alice.id, type: 'Person', name: ['Alice'] }
        expect(await store().updateObject(replacement, alice.id, true)).toEqual(replacement)
        const stored = await store().getObject(alice.id, true)
        expect(stored).toEqual({ ...replacement, _meta: alice._meta })
        expect(await store().getUserCount()).toBe(1)
      })

      it('updateObject with fullReplace replaces _meta when given', async () => {
        await store().saveObject(alice)
        await store().updateObject({ ...alice, _meta: { privateKey: 'ROTATED' } }, alice.id, true)
        expect((await store().getObject(alice.id, true))?._meta).toEqual({ privateKey: 'ROTATED' })
      })

      it('updateObject with fullReplace answers undefined when nothing changed or the object is unknown', async () => {
        await store().saveObject(alice)
        expect(await store().updateObject(alice, alice.id, true)).toBeUndefined()
        expect(await store().updateObject(fixtures.actor('ghost'), null, true)).toBeUndefined()
        expect(await store().getObject(fixtures.actor('ghost').id)).toBeNull()
      })

      it('a partial updateObject sets keys, deletes null ones and answers the document without _meta', async () => {
        await store().saveObject({ ...alice, summary: ['bio'] })
        const updated = await store().updateObject({ id: alice.id, type: 'Person', name: ['Alice'], summary: null }, null, false)
        const publicDoc = withoutMeta(alice)
        expect(updated).toEqual({ ...publicDoc, name: ['Alice'] })
        expect((await store().getObject(alice.id, true))?._meta).toEqual(alice._meta)
        expect(await store().updateObject({ id: 'https://hub.test/u/ghost', type: 'Person', name: ['x'] }, null, false)).toBeUndefined()
      })

      it('updating an object refreshes its embedded copies in activities, without _meta', async () => {
        const bob = fixtures.actor('bob')
        const note = fixtures.note(1, bob.id)
        const other = fixtures.note(2, bob.id)
        await store().saveObject(note)
        await store().saveActivity({ ...fixtures.activity(1, 'Create', bob.id, note, ['inbox']), object: [other, note] })
        await store().saveActivity(fixtures.activity(2, 'Like', alice.id, note.id, ['inbox']))

        await store().updateObject({ ...note, content: ['edited'], _meta: { note: 'private' } }, bob.id, true)
        expect((await store().getActivity('https://hub.test/s/1'))?.object).toEqual([other, { ...note, content: ['edited'] }])
        // a reference by IRI is not a copy
        expect((await store().getActivity('https://hub.test/s/2'))?.object).toEqual([note.id])

        await store().updateObject({ id: note.id, type: 'Note', content: ['edited twice'] }, bob.id, false)
        expect((await store().getActivity('https://hub.test/s/1'))?.object).toEqual([other, { ...note, content: ['edited twice'] }])
      })

      it('counts local users: actors with a private key, except the Application instance actor', async () => {
        await store().saveObject(alice)
        await store().saveObject(fixtures.actor('coop', { local: true, type: 'Organization' }))
        await store().saveObject(fixtures.actor('instance', { local: true, type: 'Application' }))
        await store().saveObject(fixtures.actor('remote', { host: 'https://far.test' }))
        expect(await store().getUserCount()).toBe(2)
        expect(await store().getUsercount()).toBe(2)
      })

      it('setup stores the initial user with its _meta, replacing an existing one', async () => {
        await store().setup()
        expect(await store().getUserCount()).toBe(0)
        await store().setup({ ...alice, name: ['first'] })
        await store().setup(alice)
        expect(await store().getObject(alice.id, true)).toEqual(alice)
        expect(await store().getUserCount()).toBe(1)
      })
    })

    describe('contexts', () => {
      const url = 'https://www.w3.org/ns/activitystreams'

      it('caches context documents given as objects or JSON text, upserting by document URL', async () => {
        expect(await store().getContext(url)).toBeNull()
        await store().saveContext({ contextUrl: null, documentUrl: url, document: { '@context': { as: 'x' } } })
        expect(await store().getContext(url)).toEqual({ contextUrl: null, documentUrl: url, document: { '@context': { as: 'x' } } })
        await store().saveContext({ contextUrl: 'https://ctx.test', documentUrl: url, document: '{"@context":{"v":2}}' })
        expect(await store().getContext(url)).toEqual({ contextUrl: 'https://ctx.test', documentUrl: url, document: { '@context': { v: 2 } } })
      })
    })

    it('generateId answers distinct 32-character lower-case hex ids', () => {
      const ids = Array.from({ length: 200 }, () => store().generateId())
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/)
      expect(new Set(ids).size).toBe(ids.length)
    })

    describeApexActivityContract(store)
    describeHubQueriesContract(store)
    describeOutboxContract(store)

    it('close() ends the store: later calls fail', async () => {
      await store().setSetting('k', 'v')
      await store().close()
      expect(await rejectionOf(async () => await store().getSetting('k'))).toHaveProperty('message')
    })
  })
}
