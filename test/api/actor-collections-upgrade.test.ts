import path from 'path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { api, AppUnderTest, getActivityJson, startAppUnderTest } from '../helpers/app-under-test'

/**
 * A co-op actor stored before the hub served `ioo:fundingPools` and `ioo:agreements` gets them
 * when the hub starts (docs/api.md), keeping its keys; nothing else in it changes.
 */
describe('co-op actors stored before the pools and agreements collections', () => {
  let hub: AppUnderTest

  afterAll(async () => { await hub?.stop() })

  it('gain the collections at start-up, with the same key and profile', async () => {
    hub = await startAppUnderTest()
    const made = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha Co-op', url: 'https://alpha.example' })
    expect(made.status).toBe(201)
    const keyBefore = (await getActivityJson(hub, made.json.id)).publicKey
    await hub.stop()

    // Make the stored actor look like one from before: no fundingPools, no agreements.
    const store = new SqliteStore(path.join(hub.dataDir, 'hub.sqlite'))
    try {
      const actor = await store.getObject(made.json.id, true)
      expect(actor?.fundingPools).toBeDefined()
      delete actor?.fundingPools
      delete actor?.agreements
      await store.updateObject(actor!, made.json.id, true)
      expect((await store.getObject(made.json.id))?.agreements).toBeUndefined()
    } finally {
      store.close()
    }

    hub = await hub.restart()
    const doc = await getActivityJson(hub, made.json.id)
    expect(doc).toMatchObject({ publicKey: keyBefore, name: 'Alpha Co-op', url: 'https://alpha.example', services: `${made.json.id}/services`, fundingPools: `${made.json.id}/pools`, agreements: `${made.json.id}/agreements` })
    // The private key was kept with it.
    await hub.stop()
    const reopened = new SqliteStore(path.join(hub.dataDir, 'hub.sqlite'))
    try {
      expect(String((await reopened.getObject(made.json.id, true))?._meta?.privateKey)).toMatch(/BEGIN PRIVATE KEY/)
    } finally {
      reopened.close()
    }
  })
})
