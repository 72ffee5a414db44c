import path from 'path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { runCliCapturing as run, useCliDataDir } from '../helpers/cli-env'

/** `ioocloud-hub coop update` edits a co-op's profile as `PATCH /api/v1/coops/:username` does. */
describe('CLI coop update', () => {
  const dataDir = useCliDataDir()

  async function storedActor (): Promise<Record<string, unknown>> {
    const store = new SqliteStore(path.join(dataDir(), 'hub.sqlite'))
    try {
      return { ...await store.getObject('https://hub.example.coop/u/riverside'), policy: (await store.getCoop('riverside'))?.followPolicy }
    } finally {
      store.close()
    }
  }

  it('changes the fields given, merges location parts, removes fields, and keeps the key', async () => {
    expect((await run('coop', 'create', 'riverside', '--name', 'Riverside', '--icon', 'https://riverside.example/logo.png')).code).toBe(0)
    const before = await storedActor()
    const first = await run('coop', 'update', 'riverside', '--name', 'Riverside Cloud', '--location', 'Lyon', '--country', 'FR', '--languages', 'fr,en', '--follow-policy', 'approval')
    expect(first).toEqual({ code: 0, output: 'Updated co-op riverside: Riverside Cloud\nAn Update of its actor is queued for its followers.' })
    // Only the latitude and longitude: the location keeps its name and country.
    expect((await run('coop', 'update', 'riverside', '--latitude', '45.76', '--longitude', '4.84', '--remove', 'icon')).code).toBe(0)
    const after = await storedActor()
    expect(after).toMatchObject({ id: before.id, publicKey: before.publicKey, published: before.published, name: ['Riverside Cloud'], knowsLanguage: ['fr', 'en'], policy: 'approval' })
    expect(after.location).toEqual([{ type: 'Place', name: ['Lyon'], addressCountry: ['FR'], latitude: [45.76], longitude: [4.84] }])
    expect(after.icon).toBeUndefined()
  })

  it('says what is wrong and changes nothing', async () => {
    expect((await run('coop', 'create', 'riverside', '--name', 'Riverside')).code).toBe(0)
    const before = await storedActor()
    const bad = await run('coop', 'update', 'riverside', '--url', 'not a url', '--latitude', 'north')
    expect(bad.code).toBe(1)
    expect(bad.output).toMatch(/url/)
    expect(bad.output).toMatch(/latitude/)
    expect(await run('coop', 'update', 'nobody', '--name', 'X')).toEqual({ code: 1, output: 'Error: There is no co-op "nobody" on this hub' })
    expect((await run('coop', 'update', 'riverside')).code).toBe(1)
    expect((await run('coop', 'update', 'riverside', '--remove', 'name')).code).not.toBe(0)
    expect(await storedActor()).toEqual(before)
  })
})
