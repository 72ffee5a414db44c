import { judge, probeFor, probeUrl, uptimeRatio } from '../../src/sync/health/probe-plan'
import { DirectoryServer } from '../helpers/directory-server'
import { api } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/** Health probes suited to the software; a status change updates the service and federates an Update, and only then. */
describe('service health', () => {
  describe('probe plan (pure)', () => {
    it('picks the probe from the software', () => {
      expect(['Nextcloud', 'ownCloud', 'Mastodon', 'PeerTube', 'wallabag', 'Tiny Tiny RSS', undefined].map(probeFor))
        .toEqual(['status.php', 'status.php', 'nodeinfo', 'nodeinfo', 'wallabag', 'http', 'http'])
      expect(probeUrl('status.php', 'https://cloud.example.coop/nc')).toBe('https://cloud.example.coop/nc/status.php')
      expect(probeUrl('wallabag', 'https://read.example.coop/')).toBe('https://read.example.coop/api/version')
      expect(probeUrl('nodeinfo', 'https://social.example.coop/@x')).toBe('https://social.example.coop/.well-known/nodeinfo')
    })

    it('judges answers: maintenance and slowness degrade, 5xx is down, a login page is up', () => {
      const ok = JSON.stringify({ installed: true, maintenance: false, needsDbUpgrade: false, productname: 'Nextcloud', versionstring: '28.0.1' })
      expect(judge('status.php', { status: 200, body: ok, ms: 40 }, 3000)).toEqual({ status: 'operational', detail: 'Nextcloud 28.0.1' })
      expect(judge('status.php', { status: 200, body: ok, ms: 4000 }, 3000).status).toBe('degraded')
      expect(judge('status.php', { status: 200, body: JSON.stringify({ installed: true, maintenance: true }), ms: 1 }, 3000)).toEqual({ status: 'degraded', detail: 'in maintenance mode' })
      expect(judge('status.php', { status: 503, body: '', ms: 1 }, 3000).status).toBe('down')
      expect(judge('status.php', { status: 200, body: '<html>', ms: 1 }, 3000).status).toBe('degraded')
      expect(judge('wallabag', { status: 200, body: '"2.6.9"', ms: 1 }, 3000)).toEqual({ status: 'operational', detail: 'wallabag 2.6.9' })
      expect(judge('nodeinfo', { status: 200, body: JSON.stringify({ links: [{ rel: 'x', href: 'y' }] }), ms: 1 }, 3000).status).toBe('operational')
      expect(judge('http', { status: 401, body: '', ms: 1 }, 3000).status).toBe('operational')
      expect(judge('http', { status: 404, body: '', ms: 1 }, 3000).status).toBe('degraded')
      expect(uptimeRatio({ checks: 4, operational: 2, degraded: 1 })).toBe(0.75)
      expect(uptimeRatio({ checks: 0, operational: 0, degraded: 0 })).toBeNull()
    })
  })

  describe('the health job on a hub', () => {
    let hub: TestHub
    let server: DirectoryServer
    let token: string
    let outbox: string

    beforeAll(async () => {
      server = await new DirectoryServer().start()
      hub = await startTestHub({ HUB_HEALTH_TIMEOUT_SECONDS: '1' })
      const coop = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha' })
      token = coop.json.token
      outbox = `${coop.json.id}/outbox`
    })
    afterAll(async () => {
      await hub.stop()
      await server.stop()
    })

    const updates = async (): Promise<number> => (await hub.hub.store.getStream(outbox, 100)).filter(a => a.type === 'Update').length
    const status = (answer: Record<string, unknown>, code = 200): void => {
      server.route('/nc/status.php', { kind: 'body', body: JSON.stringify(answer), type: 'application/json', status: code })
    }
    const check = async (): Promise<any> => {
      const res = await api(hub, 'POST', '/api/v1/jobs/health/runs', hub.adminToken)
      expect(res.status).toBe(201)
      return res.json
    }
    const service = async (): Promise<any> => (await api(hub, 'GET', '/api/v1/services')).json.items[0]

    it('federates an Update when the status changes, and none when it does not', async () => {
      await api(hub, 'PUT', '/api/v1/coops/alpha/services/files', token, { name: 'Files', category: 'file-hosting', url: server.url('/nc'), access: 'members', software: 'Nextcloud' })
      status({ installed: true, maintenance: false, needsDbUpgrade: false, productname: 'Nextcloud', versionstring: '28.0.1' })
      const before = await updates()

      const first = await check()
      expect(first).toMatchObject({ outcome: 'succeeded', counts: { changed: 1, unchanged: 0 } })
      expect(first.details[0]).toMatchObject({ status: 'operational', previous: null, probe: 'status.php', updated: true })
      expect(await service()).toMatchObject({ status: 'operational' })
      expect(await updates()).toBe(before + 1)
      const stored = (await hub.hub.store.listServices({ local: true }))[0].object
      expect(stored).toMatchObject({ status: 'operational', checkedAt: expect.any(String) })

      expect((await check()).counts).toMatchObject({ changed: 0, unchanged: 1 })
      expect(await updates()).toBe(before + 1)

      status({ installed: true, maintenance: true })
      expect((await check()).details[0]).toMatchObject({ status: 'degraded', previous: 'operational', detail: 'in maintenance mode', updated: true })
      expect(await updates()).toBe(before + 2)

      server.route('/nc/status.php', { kind: 'hang' })
      expect((await check()).details[0]).toMatchObject({ status: 'down', previous: 'degraded', updated: true })
      expect(await service()).toMatchObject({ status: 'down' })
      expect(await updates()).toBe(before + 3)

      // Checks so far: operational, operational, degraded, down.
      const health = (await api(hub, 'GET', '/api/v1/health')).json.items
      expect(health).toEqual([expect.objectContaining({ name: 'Files', status: 'down', uptime30d: 0.75, checks30d: 4, lastCheck: expect.objectContaining({ status: 'down', probe: 'status.php' }) })])
    })
  })
})
