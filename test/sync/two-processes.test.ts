import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { eventually, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * Two hub processes on one database with the same schedules (every 2 seconds, node-cron's
 * seconds field): every tick of every job is run and recorded once, by one of the two, while
 * the other finds the tick taken.
 */
describe('two hub processes sharing one database', () => {
  let a: HubProcess | undefined
  let b: HubProcess | undefined
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-shared-'))
  const env = {
    HUB_SCHEDULER: '1',
    HUB_SCHEDULE_HEALTH: '*/2 * * * * *',
    HUB_SCHEDULE_EXPIRY: '*/2 * * * * *',
    HUB_SCHEDULE_DIRECTORIES: 'off',
    HUB_SCHEDULE_SIBLINGS: 'off'
  }

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log('A:\n' + a?.output() + '\nB:\n' + b?.output())
    await Promise.all([a?.stop(), b?.stop()])
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  interface LogLine { msg?: string, job?: string, slot?: string, run?: number, reason?: string }
  const lines = (hub: HubProcess): LogLine[] => hub.output().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l) as LogLine)

  it('records each job run once', async () => {
    const token = 'shared-admin-token-0123456789abcdef'
    a = await startHubProcess({ dataDir, adminToken: token, env })
    // One hub, two processes: both answer for the same HUB_URL, as behind a proxy.
    b = await startHubProcess({ dataDir, adminToken: token, env: { ...env, HUB_URL: a.url } })
    const db = new Database(path.join(dataDir, 'hub.sqlite'), { readonly: true })
    try {
      const countRuns = (): number => (db.prepare("SELECT COUNT(*) AS n FROM job_runs WHERE trigger = 'schedule'").get() as { n: number }).n
      // Both are running; let at least four ticks of each job happen.
      const start = countRuns()
      await eventually(async () => countRuns() >= start + 8 ? true : undefined, 'eight scheduled runs', 20_000)
      await Promise.all([a.stop(), b.stop()])
      const runs = db.prepare<[], { job: string, slot: string, holder: string, outcome: string }>(
        "SELECT job, slot, holder, outcome FROM job_runs WHERE trigger = 'schedule' ORDER BY job, slot").all()
      for (const job of ['health', 'expiry']) {
        const mine = runs.filter(r => r.job === job)
        expect(mine.length).toBeGreaterThanOrEqual(3)
        // One record per tick (ticks are whole even seconds, the same in both processes).
        const slots = mine.map(r => Date.parse(r.slot))
        expect(new Set(slots).size).toBe(slots.length)
        expect(slots.every(s => s % 2000 === 0)).toBe(true)
        expect(mine.every(r => r.outcome === 'succeeded')).toBe(true)
      }
      // Every recorded tick was started by exactly one process; the other found it taken.
      const started = [...lines(a), ...lines(b)].filter(l => l.msg === 'job started')
      const refused = [...lines(a), ...lines(b)].filter(l => l.msg === 'job not started: another run has it')
      for (const run of runs) {
        expect(started.filter(l => l.job === run.job && l.slot === run.slot)).toHaveLength(1)
      }
      expect(refused.length).toBeGreaterThan(0)
      expect(refused.every(l => l.reason === 'already-run' || l.reason === 'busy')).toBe(true)
    } finally {
      db.close()
    }
  })
})
