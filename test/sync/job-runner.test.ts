import fs from 'fs'
import os from 'os'
import path from 'path'
import { loadConfig } from '../../src/config/config'
import { createLogger } from '../../src/log/logger'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import type { Job } from '../../src/sync/scheduler/job'
import type { JobName } from '../../src/domain/job-names'
import { JobRunner } from '../../src/sync/scheduler/job-runner'
import { Scheduler } from '../../src/sync/scheduler/scheduler'
import { eventually } from '../helpers/hub-process'

/** The runner records every run, failures included, and the scheduler fires jobs on their cron schedule. */
describe('job runner and scheduler', () => {
  let dir: string
  let store: SqliteStore
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-jobs-'))
    store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  })
  afterEach(() => {
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const job = (name: JobName, run: Job['run']): Job => ({ name, description: name, run })
  const runner = (jobs: Job[]): JobRunner => new JobRunner(store.jobs, new Map(jobs.map(j => [j.name, j])), 60_000, createLogger('silent'))

  it('records a job that throws as failed, with its error, and frees the lease', async () => {
    const r = runner([job('expiry', async () => { throw new Error('the pool store is locked') })])
    const answer = await r.run('expiry', { trigger: 'manual' })
    expect(answer).toMatchObject({ ran: true, run: { outcome: 'failed', error: 'the pool store is locked', endedAt: expect.any(String) } })
    expect(await store.jobs.lease('expiry')).toBeNull()
    expect((await r.run('expiry', { trigger: 'manual' })).ran).toBe(true)
  })

  it('runs a tick once even when asked twice within the same second', async () => {
    let runs = 0
    const r = runner([job('health', async () => { runs++; return { outcome: 'succeeded', counts: { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }, error: null, details: [] } })])
    const tick = new Date('2025-05-01T10:00:00.000Z')
    expect((await r.run('health', { trigger: 'schedule', slot: tick })).ran).toBe(true)
    const again = await r.run('health', { trigger: 'schedule', slot: new Date(tick.getTime() + 300) })
    expect(again).toMatchObject({ ran: false, reason: 'already-run' })
    expect(runs).toBe(1)
    expect(await r.run('siblings', { trigger: 'manual' })).toMatchObject({ ran: false, reason: 'unknown-job' })
  })

  it('fires a job on its schedule and stops cleanly', async () => {
    let runs = 0
    const r = runner([job('health', async () => { runs++; return { outcome: 'succeeded', counts: { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }, error: null, details: [] } })])
    const config = loadConfig({ HUB_SCHEDULE_HEALTH: '* * * * * *', HUB_SCHEDULE_DIRECTORIES: 'off' }).sync
    const scheduler = new Scheduler(r, config, createLogger('silent'))
    scheduler.start()
    try {
      await eventually(async () => runs >= 2 ? true : undefined, 'two scheduled runs', 5000)
    } finally {
      await scheduler.stop()
    }
    const recorded = await store.jobs.listRuns({ job: 'health', limit: 10 })
    expect(recorded.length).toBe(runs)
    expect(recorded.every(run => run.trigger === 'schedule' && run.slot?.endsWith('.000Z'))).toBe(true)
  })
})
