import net from 'net'
import { HostedServiceService } from '../../src/hosted-services/hosted-service.service'
import { SqliteOutboxRepository } from '../../src/store/sqlite/sqlite.outbox.repository'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { startTestHub, type TestHub } from '../helpers/in-process-hub'

/**
 * A publish (building the object and the activity in JSON-LD, storing them) and the first page
 * of its audience are work of awaited promises alone: unless they let the event loop go, a
 * request that arrives meanwhile waits for all of it. Here a GET /nodeinfo/2.1 reaches the hub's
 * socket just as a PUT of a service starts, and another just as the publish is stored; each must
 * be served before the next piece of the publish runs.
 */
describe('a publish lets requests that arrived meanwhile in', () => {
  let hub: TestHub
  let coop = { id: '', token: '' }
  let events: string[]
  let probe: net.Socket
  let sendProbeAt: string | null

  const sendProbe = (): void => {
    probe.write('GET /nodeinfo/2.1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n')
    events.push('probe sent')
  }

  beforeAll(async () => {
    // Spies on the classes' own methods: the store wraps what it finds when it is built.
    const put = HostedServiceService.prototype.put
    jest.spyOn(HostedServiceService.prototype, 'put').mockImplementation(async function (this: HostedServiceService, ...args) {
      if (sendProbeAt === 'put') sendProbe()
      return await put.apply(this, args)
    })
    const publishAll = SqliteOutboxRepository.prototype.publishAll
    jest.spyOn(SqliteOutboxRepository.prototype, 'publishAll').mockImplementation(async function (this: SqliteOutboxRepository, entries) {
      events.push('publish stored')
      const stored = await publishAll.call(this, entries)
      if (sendProbeAt === 'stored') sendProbe()
      return stored
    })
    const audiencePage = SqliteOutboxRepository.prototype.audiencePage
    jest.spyOn(SqliteOutboxRepository.prototype, 'audiencePage').mockImplementation(async function (this: SqliteOutboxRepository, ...args) {
      events.push('audience page read')
      return await audiencePage.apply(this, args)
    })
    const getUserCount = SqliteStore.prototype.getUserCount
    jest.spyOn(SqliteStore.prototype, 'getUserCount').mockImplementation(async function (this: SqliteStore) {
      events.push('probe served')
      return await getUserCount.call(this)
    })
    hub = await startTestHub()
    const res = await fetch(`${hub.url}/api/v1/coops`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'teller', name: 'Teller Co-op' })
    })
    expect(res.status).toBe(201)
    coop = await res.json() as typeof coop
  })

  afterAll(async () => {
    jest.restoreAllMocks()
    await hub?.stop()
  })

  beforeEach(async () => {
    events = []
    sendProbeAt = null
    probe = net.connect(hub.port, '127.0.0.1')
    await new Promise<void>(resolve => probe.once('connect', () => resolve()))
  })

  afterEach(() => { probe.destroy() })

  /** PUTs the service and waits until its audience was read and the probe answered. */
  async function publishWithProbe (at: 'put' | 'stored', summary: string): Promise<void> {
    sendProbeAt = at
    const answered = new Promise<string>(resolve => probe.once('data', chunk => resolve(String(chunk))))
    const res = await fetch(`${hub.url}/api/v1/coops/teller/services/files`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${coop.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Files', category: 'file-hosting', url: 'https://files.example', access: 'members', summary })
    })
    expect([200, 201]).toContain(res.status)
    expect(await answered).toMatch(/^HTTP\/1\.1 200/)
    for (let i = 0; i < 100 && !events.includes('audience page read'); i++) await new Promise(resolve => setTimeout(resolve, 10))
  }

  it('serves a request that arrived as the PUT started before the publish is stored', async () => {
    await publishWithProbe('put', 'first')
    expect(events.indexOf('probe sent')).toBe(0)
    expect(events.indexOf('probe served')).toBeGreaterThan(0)
    expect(events.indexOf('probe served')).toBeLessThan(events.indexOf('publish stored'))
  })

  it('serves a request that arrived as the publish was stored before its audience is read', async () => {
    await publishWithProbe('stored', 'second')
    expect(events.slice(0, 2)).toEqual(['publish stored', 'probe sent'])
    expect(events).toContain('audience page read')
    expect(events.indexOf('probe served')).toBeLessThan(events.indexOf('audience page read'))
  })
})
