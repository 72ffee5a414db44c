import { DirectoryServer } from '../helpers/directory-server'
import { api, AppUnderTest, startAppUnderTest } from '../helpers/app-under-test'
import { eventually } from '../helpers/hub-process'

/** The admin API of jobs and directory sources: schedules, runs, history, source management; bad input changes nothing. */
describe('jobs and sources API', () => {
  let hub: AppUnderTest
  let server: DirectoryServer
  let coopToken: string

  beforeAll(async () => {
    server = await new DirectoryServer().start()
    server.route('/directory.json', { kind: 'file', file: 'sources/hub/directory.json', type: 'application/json' })
    hub = await startAppUnderTest({ env: { HUB_SYNC_TIMEOUT_SECONDS: '1', HUB_SCHEDULE_EXPIRY: 'off' } })
    coopToken = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha' })).json.token
  })
  afterAll(async () => {
    await hub.stop()
    await server.stop()
  })

  it('shows schedules, next runs and last runs to the admin only', async () => {
    expect((await api(hub, 'GET', '/api/v1/jobs')).status).toBe(401)
    expect((await api(hub, 'GET', '/api/v1/jobs', coopToken)).status).toBe(403)
    const res = await api(hub, 'GET', '/api/v1/jobs', hub.adminToken)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ scheduler: false, timezone: 'UTC' })
    const byName = Object.fromEntries(res.json.items.map((j: any) => [j.name, j]))
    expect(Object.keys(byName)).toEqual(['directories', 'siblings', 'health', 'expiry'])
    expect(byName.directories).toMatchObject({ schedule: '0 * * * *', running: null })
    expect(byName.siblings.schedule).toBe('*/15 * * * *')
    expect(byName.health.schedule).toBe('*/10 * * * *')
    expect(byName.expiry).toMatchObject({ schedule: null, nextRun: null })
    expect(new Date(byName.directories.nextRun).getUTCMinutes()).toBe(0)
    expect(Date.parse(byName.directories.nextRun)).toBeGreaterThan(Date.now())
  })

  it('lists the Internet of Ownership source on a fresh install', async () => {
    const res = await api(hub, 'GET', '/api/v1/sources', hub.adminToken)
    expect(res.json.items).toEqual([expect.objectContaining({ id: 'ioo', format: 'ioo-csv', name: 'ioo.coop/directory', enabled: true })])
    expect(res.json.items[0].url).toMatch(/^https:\/\/docs\.google\.com\/spreadsheets\/d\/1RQTMhPJVVdmE7Yeop1iwYhvj46kgvVJQnn11EPGwzeY\/export\?format=csv/)
  })

  it('refuses bad sources with a 400 naming the field, and changes nothing', async () => {
    const bad = await api(hub, 'POST', '/api/v1/sources', hub.adminToken, { id: 'Bad Id', format: 'rss', url: 'ftp://x' })
    expect(bad.status).toBe(400)
    expect(bad.json.error).toBe('invalid_request')
    expect(Object.keys(bad.json.fields).sort()).toEqual(['format', 'id', 'url'])
    const taken = await api(hub, 'POST', '/api/v1/sources', hub.adminToken, { id: 'ioo', format: 'ioo-json', url: 'https://x.example/a.json', name: 'other' })
    expect(taken.status).toBe(409)
    const sameName = await api(hub, 'POST', '/api/v1/sources', hub.adminToken, { id: 'ioo2', format: 'ioo-json', url: 'https://x.example/a.json' })
    expect(sameName.status).toBe(409)
    expect(sameName.json.message).toMatch(/already records its entries as "ioo.coop\/directory"/)
    expect((await api(hub, 'GET', '/api/v1/sources', hub.adminToken)).json.items).toHaveLength(1)
    expect((await api(hub, 'POST', '/api/v1/sources', coopToken, { id: 'x', format: 'pcc', url: 'https://x.example' })).status).toBe(403)
  })

  it('adds a source, runs the directories job for it, shows the run, then disables and removes it', async () => {
    const added = await api(hub, 'POST', '/api/v1/sources', hub.adminToken, { id: 'sibling', format: 'hub-directory', url: server.url('/directory.json') })
    expect(added.status).toBe(201)
    expect(added.json).toMatchObject({ id: 'sibling', name: '127.0.0.1:' + new URL(server.origin).port, enabled: true })

    const run = await api(hub, 'POST', '/api/v1/jobs/directories/runs?source=sibling', hub.adminToken)
    expect(run.status).toBe(201)
    expect(run.json).toMatchObject({ job: 'directories', trigger: 'manual', outcome: 'succeeded', counts: { added: 2, rejected: 1 } })
    expect(run.json.details[0]).toMatchObject({ source: 'sibling', outcome: 'imported' })
    const names = (await api(hub, 'GET', '/api/v1/directory')).json.items.map((e: any) => e.name)
    expect(names).toEqual(expect.arrayContaining(['Riverside Co-op', 'Hillside Cloud']))

    const jobs = (await api(hub, 'GET', '/api/v1/jobs', hub.adminToken)).json.items
    expect(jobs.find((j: any) => j.name === 'directories').lastRun).toMatchObject({ id: run.json.id, outcome: 'succeeded' })
    const history = await api(hub, 'GET', '/api/v1/jobs/directories/runs', hub.adminToken)
    expect(history.json.items[0]).toMatchObject({ id: run.json.id, counts: { added: 2 } })

    expect((await api(hub, 'POST', '/api/v1/sources/sibling/disable', hub.adminToken)).json.enabled).toBe(false)
    expect((await api(hub, 'POST', '/api/v1/sources/sibling/enable', hub.adminToken)).json.enabled).toBe(true)
    const removed = await api(hub, 'DELETE', '/api/v1/sources/sibling', hub.adminToken)
    expect(removed.json).toEqual({ removedEntries: 2 })
    expect((await api(hub, 'GET', '/api/v1/directory')).json.items.map((e: any) => e.name)).not.toContain('Riverside Co-op')
    expect((await api(hub, 'POST', '/api/v1/sources/sibling/enable', hub.adminToken)).status).toBe(404)
  })

  it('answers 404 for an unknown job, 400 for an unknown option, 409 while the job runs elsewhere', async () => {
    expect((await api(hub, 'POST', '/api/v1/jobs/backup/runs', hub.adminToken)).status).toBe(404)
    expect((await api(hub, 'GET', '/api/v1/jobs/backup/runs', hub.adminToken)).status).toBe(404)
    expect((await api(hub, 'POST', '/api/v1/jobs/health/runs?colour=red', hub.adminToken)).status).toBe(400)

    server.route('/slow.json', { kind: 'hang' })
    await api(hub, 'POST', '/api/v1/sources', hub.adminToken, { id: 'slow', format: 'hub-directory', url: server.url('/slow.json') })
    const first = api(hub, 'POST', '/api/v1/jobs/directories/runs?source=slow', hub.adminToken)
    await eventually(async () => await hub.hub.store.jobs.lease('directories') ?? undefined, 'the first run to hold the lease')
    const second = await api(hub, 'POST', '/api/v1/jobs/directories/runs?source=slow', hub.adminToken)
    expect(second.status).toBe(409)
    expect(second.json.message).toMatch(/directories is already running/)
    const done = await first
    expect(done.json).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/slow: /) })
    expect((await api(hub, 'GET', '/api/v1/sources/slow', hub.adminToken)).json).toMatchObject({ failures: 1, lastError: expect.any(String) })
  })
})
