import { PostgresApexDocuments } from '../../src/store/postgres/postgres.apex-documents'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { fixtures, withoutMeta } from './store.fixtures'
import { describeApexActivityContract } from './store.contract.activities'

const pg = usePostgresTestStore()
const apex = (): PostgresApexDocuments => new PostgresApexDocuments(pg.db())

describe('apex documents on PostgreSQL', () => {
  describeApexActivityContract(apex)

  // The objects and contexts cases of store.contract.ts on the apex documents class alone, without
  // the store around it (postgres.store.test.ts runs the whole contract through PostgresStore).
  const alice = fixtures.actor('alice', { local: true })

  it('saves an object once (first writer wins) and reads it back, _meta only when includeMeta === true', async () => {
    expect(await apex().saveObject(alice)).toBe(true)
    expect(await apex().saveObject({ ...alice, name: ['Impostor'], _meta: {} })).toBe(false)
    expect(await apex().getObject(alice.id)).toEqual(withoutMeta(alice))
    expect(await apex().getObject(alice.id, 1 as unknown as boolean)).toEqual(withoutMeta(alice))
    expect(await apex().getObject(alice.id, true)).toEqual(alice)
    expect(await apex().getObject('https://hub.test/u/nobody', true)).toBeNull()
  })

  it('replaces an object keeping its _meta, answers undefined when nothing changed, and merges partial updates', async () => {
    await apex().saveObject({ ...alice, summary: ['old'] })
    const replacement = { id: alice.id, type: 'Person', name: ['Alice'] }
    expect(await apex().updateObject(replacement, alice.id, true)).toEqual(replacement)
    expect(await apex().getObject(alice.id, true)).toEqual({ ...replacement, _meta: alice._meta })
    // The same document with its keys in another order is no change (jsonb keeps no key order).
    expect(await apex().updateObject({ name: ['Alice'], type: 'Person', id: alice.id }, alice.id, true)).toBeUndefined()
    expect(await apex().updateObject({ id: alice.id, type: 'Person', summary: ['bio'], name: null }, null, false)).toEqual({ id: alice.id, type: 'Person', summary: ['bio'] })
    expect(await apex().updateObject(fixtures.actor('ghost'), null, true)).toBeUndefined()
    await apex().updateObject({ ...replacement, _meta: { privateKey: 'ROTATED' } }, alice.id, true)
    expect((await apex().getObject(alice.id, true))?._meta).toEqual({ privateKey: 'ROTATED' })
  })

  it('refreshes embedded copies of an updated object, and counts local users but the instance actor', async () => {
    const bob = fixtures.actor('bob')
    const note = fixtures.note(1, bob.id)
    const other = fixtures.note(2, bob.id)
    await apex().saveObject(note)
    await apex().saveActivity({ ...fixtures.activity(1, 'Create', bob.id, note, ['inbox']), object: [other, note] })
    await apex().updateObject({ ...note, content: ['edited'], _meta: { note: 'private' } }, bob.id, true)
    expect((await apex().getActivity('https://hub.test/s/1'))?.object).toEqual([other, { ...note, content: ['edited'] }])
    await apex().saveObject(alice)
    await apex().saveObject(fixtures.actor('instance', { local: true, type: 'Application' }))
    expect(await apex().getUserCount()).toBe(1)
    await apex().setup({ ...fixtures.actor('coop', { local: true, type: 'Organization' }) })
    expect(await apex().getUserCount()).toBe(2)
  })

  it('caches context documents given as objects or JSON text, upserting by document URL', async () => {
    const url = 'https://www.w3.org/ns/activitystreams'
    expect(await apex().getContext(url)).toBeNull()
    await apex().saveContext({ contextUrl: null, documentUrl: url, document: { '@context': { as: 'x' } } })
    await apex().saveContext({ contextUrl: 'https://ctx.test', documentUrl: url, document: '{"@context":{"v":2}}' })
    expect(await apex().getContext(url)).toEqual({ contextUrl: 'https://ctx.test', documentUrl: url, document: { '@context': { v: 2 } } })
    expect(apex().generateId()).toMatch(/^[0-9a-f]{32}$/)
  })
})
