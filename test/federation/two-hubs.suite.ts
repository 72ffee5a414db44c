/**
 * Two hubs as separate processes on loopback: a co-op on B follows a co-op on A, A accepts,
 * and B sees A's service published, updated and deleted; everything survives a restart. Each
 * hub is on its own store, SQLite in its DATA_DIR or a PostgreSQL database (HUB_DATABASE_URL).
 */
import fs from 'node:fs'
import path from 'node:path'
import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'
import { prepareTestStore, type TestStoreKind, type TestStorePlace } from '../helpers/test-store-choice'

/** The stores of hub A (the followed one, which publishes) and hub B (the follower). */
export interface TwoHubStores {
  a: TestStoreKind
  b: TestStoreKind
}

/** That `hub` keeps its records where `store` says: a SQLite file in DATA_DIR, or none there and PostgreSQL in its log. */
function expectOnStore (hub: HubProcess, store: TestStoreKind): void {
  const sqliteFiles = fs.readdirSync(hub.dataDir).filter(f => f.startsWith('hub.sqlite'))
  if (store === 'sqlite') {
    expect(fs.existsSync(path.join(hub.dataDir, 'hub.sqlite'))).toBe(true)
    expect(hub.output()).toContain('"store":"sqlite"')
  } else {
    expect(sqliteFiles).toEqual([])
    expect(hub.output()).toContain('"store":"postgresql')
  }
}

/** Registers the two-hub test with A and B on `stores`. */
export function twoHubsTests (stores: TwoHubStores): void {
  describe(`two hubs federating hosted services (A on ${stores.a}, B on ${stores.b})`, () => {
    let a: HubProcess
    let b: HubProcess
    const places: TestStorePlace[] = []

    beforeAll(async () => {
      const [placeA, placeB] = await Promise.all([prepareTestStore(stores.a), prepareTestStore(stores.b)])
      places.push(placeA, placeB)
      ;[a, b] = await Promise.all([startHubProcess({ env: placeA.env }), startHubProcess({ env: placeB.env })])
    })

    afterAll(async () => {
      if (process.env.HUB_TEST_LOGS) console.log('A:\n' + a?.output() + '\nB:\n' + b?.output())
      await Promise.all([a?.stop(), b?.stop()])
      await Promise.all(places.map(async p => await p.drop()))
    })

    const servicesOnB = async (): Promise<any[]> => (await api(b, 'GET', '/api/v1/services')).json.items

    it('follows, publishes, updates, deletes, and keeps everything across a restart', async () => {
      expectOnStore(a, stores.a)
      expectOnStore(b, stores.b)
      const alpha = await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha Co-op', url: 'https://alpha.example' })
      expect(alpha.status).toBe(201)
      const beta = await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta Co-op' })
      expect(beta.status).toBe(201)

      // B's co-op follows A's by handle, found through WebFinger.
      const follow = await api(b, 'POST', '/api/v1/coops/beta/follows', beta.json.token, { target: `alpha@127.0.0.1:${a.port}` })
      expect(follow.status).toBe(202)
      expect(follow.json).toMatchObject({ targetActorId: alpha.json.id, state: 'pending' })
      await eventually(async () => {
        const list = await api(b, 'GET', '/api/v1/coops/beta/follows', beta.json.token)
        return list.json.items[0]?.state === 'accepted' ? true : undefined
      }, 'A to accept the follow')
      // The Follow is not public, so the collection shows its size, not its members.
      const followers = await getActivityJson(`${a.url}/u/alpha/followers`)
      expect(followers).toMatchObject({ type: 'OrderedCollection', totalItems: 1 })

      // Publish.
      const created = await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.json.token, {
        name: 'Alpha Files', summary: 'Nextcloud for members', category: 'file-hosting', software: 'Nextcloud',
        url: 'https://cloud.alpha.example', access: 'members'
      })
      expect(created.status).toBe(201)
      const seen = await eventually(async () => (await servicesOnB()).find(s => s.id === created.json.id), 'B to list the new service')
      expect(seen).toMatchObject({ name: 'Alpha Files', category: 'file-hosting', access: 'members', local: false, actor: { id: alpha.json.id, name: 'Alpha Co-op' } })
      expect(seen.software).toEqual({ name: 'Nextcloud' })

      // Update.
      const updated = await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.json.token, {
        name: 'Alpha Cloud', category: 'file-hosting', url: 'https://cloud.alpha.example', access: 'agreement'
      })
      expect(updated.status).toBe(200)
      expect(updated.json.id).toBe(created.json.id)
      await eventually(async () => {
        const s = (await servicesOnB()).find(x => x.id === created.json.id)
        return s?.name === 'Alpha Cloud' && s.access === 'agreement' ? s : undefined
      }, 'B to show the update')

      // A second service stays through the restart below; the first is deleted.
      await api(a, 'PUT', '/api/v1/coops/alpha/services/mail', alpha.json.token, { name: 'Alpha Mail', category: 'email', url: 'https://mail.alpha.example', access: 'members' })
      await eventually(async () => (await servicesOnB()).find(s => s.name === 'Alpha Mail'), 'B to list the mail service')
      const deleted = await api(a, 'DELETE', '/api/v1/coops/alpha/services/files', alpha.json.token)
      expect(deleted.status).toBe(204)
      await eventually(async () => (await servicesOnB()).some(s => s.id === created.json.id) ? undefined : true, 'B to drop the deleted service')

      // Every delivery was accepted by the peer's signature-checking inbox: none failed, none left.
      const queueA = await eventually(async () => {
        const q = await api(a, 'GET', '/api/v1/admin/deliveries', a.adminToken)
        return q.json.queued === 0 ? q.json : undefined
      }, 'A to finish delivering')
      expect(queueA.failures).toEqual([])
      const queueB = await api(b, 'GET', '/api/v1/admin/deliveries', b.adminToken)
      expect(queueB.json).toEqual({ queued: 0, failures: [] })

      // Restart both with the same DATA_DIRs (and databases).
      const keyBefore = await getActivityJson(`${a.url}/u/alpha`)
      ;[a, b] = await Promise.all([a.restart(), b.restart()])
      const keyAfter = await getActivityJson(`${a.url}/u/alpha`)
      expect(keyAfter.publicKey).toEqual(keyBefore.publicKey)
      const alphaAfter = await api(a, 'GET', '/api/v1/coops/alpha')
      expect(alphaAfter.json.services.map((s: any) => s.name)).toEqual(['Alpha Mail'])
      expect((await servicesOnB()).map(s => s.name)).toEqual(['Alpha Mail'])
      const followsAfter = await api(b, 'GET', '/api/v1/coops/beta/follows', beta.json.token)
      expect(followsAfter.json.items).toMatchObject([{ targetActorId: alpha.json.id, state: 'accepted' }])
      expect(await getActivityJson(`${a.url}/u/alpha/followers`)).toMatchObject({ totalItems: 1 })
      expectOnStore(a, stores.a)
      expectOnStore(b, stores.b)

      // Federation still works after the restart: a new service reaches B.
      const chat = await api(a, 'PUT', '/api/v1/coops/alpha/services/chat', alpha.json.token, { name: 'Alpha Chat', category: 'chat', url: 'https://chat.alpha.example', access: 'public' })
      expect(chat.status).toBe(201)
      await eventually(async () => (await servicesOnB()).find(s => s.name === 'Alpha Chat'), 'B to list a service published after the restart')
      expect((await servicesOnB()).map(s => s.name).sort()).toEqual(['Alpha Chat', 'Alpha Mail'])
    })
  })
}
