import fs from 'fs'
import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-test-database'

/**
 * Two hub processes on loopback, one on each store: A with HUB_DATABASE_URL (PostgreSQL), B on
 * SQLite in its DATA_DIR. B's co-op follows A's, A publishes a service, B lists it; A restarts
 * and still serves it, keys and follow unchanged, and federates what it publishes afterwards.
 */
describe('a PostgreSQL hub federating with a SQLite hub', () => {
  let database: TestDatabase
  let a: HubProcess
  let b: HubProcess

  beforeAll(async () => {
    database = await createTestDatabase()
    ;[a, b] = await Promise.all([startHubProcess({ env: { HUB_DATABASE_URL: database.url } }), startHubProcess()])
  })

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log('A:\n' + a?.output() + '\nB:\n' + b?.output())
    await Promise.all([a?.stop(), b?.stop()])
    await database?.drop()
  })

  const servicesOnB = async (): Promise<any[]> => (await api(b, 'GET', '/api/v1/services')).json.items

  it('follows, publishes and keeps serving across a restart of the PostgreSQL hub', async () => {
    // A keeps nothing of the hub in DATA_DIR: no SQLite database was created there.
    expect(fs.readdirSync(a.dataDir).filter(f => f.startsWith('hub.sqlite'))).toEqual([])
    expect(fs.existsSync(`${b.dataDir}/hub.sqlite`)).toBe(true)
    expect(a.output()).toContain('"store":"postgresql')

    const alpha = await api(a, 'POST', '/api/v1/coops', a.adminToken, { username: 'alpha', name: 'Alpha Co-op', url: 'https://alpha.example' })
    expect(alpha.status).toBe(201)
    const beta = await api(b, 'POST', '/api/v1/coops', b.adminToken, { username: 'beta', name: 'Beta Co-op' })
    expect(beta.status).toBe(201)

    const follow = await api(b, 'POST', '/api/v1/coops/beta/follows', beta.json.token, { target: `alpha@127.0.0.1:${a.port}` })
    expect(follow.status).toBe(202)
    await eventually(async () => {
      const list = await api(b, 'GET', '/api/v1/coops/beta/follows', beta.json.token)
      return list.json.items[0]?.state === 'accepted' ? true : undefined
    }, 'A to accept the follow')
    expect(await getActivityJson(`${a.url}/u/alpha/followers`)).toMatchObject({ type: 'OrderedCollection', totalItems: 1 })

    const created = await api(a, 'PUT', '/api/v1/coops/alpha/services/files', alpha.json.token, {
      name: 'Alpha Files', summary: 'Nextcloud for members', category: 'file-hosting', software: 'Nextcloud',
      url: 'https://cloud.alpha.example', access: 'members'
    })
    expect(created.status).toBe(201)
    const seen = await eventually(async () => (await servicesOnB()).find(s => s.id === created.json.id), 'B to list the service')
    expect(seen).toMatchObject({ name: 'Alpha Files', category: 'file-hosting', access: 'members', local: false, actor: { id: alpha.json.id, name: 'Alpha Co-op' } })

    const queueA = await eventually(async () => {
      const q = await api(a, 'GET', '/api/v1/admin/deliveries', a.adminToken)
      return q.json.queued === 0 ? q.json : undefined
    }, 'A to finish delivering')
    expect(queueA.failures).toEqual([])

    // A restarts on the same database: the same key, the service, the follower.
    const keyBefore = await getActivityJson(`${a.url}/u/alpha`)
    a = await a.restart()
    expect((await getActivityJson(`${a.url}/u/alpha`)).publicKey).toEqual(keyBefore.publicKey)
    const alphaAfter = await api(a, 'GET', '/api/v1/coops/alpha')
    expect(alphaAfter.json.services.map((s: any) => s.name)).toEqual(['Alpha Files'])
    expect(await getActivityJson(`${a.url}/u/alpha/followers`)).toMatchObject({ totalItems: 1 })
    expect(fs.readdirSync(a.dataDir).filter(f => f.startsWith('hub.sqlite'))).toEqual([])

    // And it still federates: a service published after the restart reaches B.
    const chat = await api(a, 'PUT', '/api/v1/coops/alpha/services/chat', alpha.json.token, { name: 'Alpha Chat', category: 'chat', url: 'https://chat.alpha.example', access: 'public' })
    expect(chat.status).toBe(201)
    await eventually(async () => (await servicesOnB()).find(s => s.name === 'Alpha Chat'), 'B to list a service published after the restart')
    expect((await servicesOnB()).map(s => s.name).sort()).toEqual(['Alpha Chat', 'Alpha Files'])
  })
})
