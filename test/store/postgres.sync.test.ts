import { PostgresDirectoryRepository } from '../../src/store/postgres/postgres.directory.repository'
import { PostgresHealthRepository } from '../../src/store/postgres/postgres.health.repository'
import { PostgresJobRepository } from '../../src/store/postgres/postgres.jobs.repository'
import { PostgresSiblingRepository } from '../../src/store/postgres/postgres.siblings.repository'
import { PostgresSourceRepository } from '../../src/store/postgres/postgres.sync-sources.repository'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { syncRepositoriesContract } from './sync.contract'

const pg = usePostgresTestStore()

syncRepositoriesContract('PostgreSQL', async clock => {
  const db = pg.db()
  const now = (): number => clock.now
  return {
    jobs: new PostgresJobRepository(db, now),
    sources: new PostgresSourceRepository(db, now),
    siblings: new PostgresSiblingRepository(db, now),
    health: new PostgresHealthRepository(db),
    directory: new PostgresDirectoryRepository(db, now),
    clock,
    dispose: () => {}
  }
})

describe('PostgreSQL sync storage', () => {
  it('lists the Internet of Ownership source on a fresh install, enabled, never imported', async () => {
    expect(await new PostgresSourceRepository(pg.db()).list()).toEqual([expect.objectContaining({
      id: 'ioo', format: 'ioo-csv', name: 'ioo.coop/directory', enabled: true, lastSuccessAt: null,
      url: 'https://docs.google.com/spreadsheets/d/1RQTMhPJVVdmE7Yeop1iwYhvj46kgvVJQnn11EPGwzeY/export?format=csv&gid=674927682'
    })])
  })

  it('runs a scheduled tick once when processes on several machines ask at the same moment', async () => {
    const pools = [pg.db(), pg.connect(), pg.connect()]
    const slot = '2025-03-01T12:00:00.000Z'
    const starts = await Promise.all(pools.flatMap((db, i) => [0, 1].map(async j =>
      await new PostgresJobRepository(db).start({ job: 'directory', trigger: 'schedule', slot, holder: `p${i}-${j}`, leaseMs: 60_000 }))))
    expect(starts.filter(s => s.started)).toHaveLength(1)
    expect((await new PostgresJobRepository(pg.db()).listRuns({ job: 'directory', limit: 10 }))).toHaveLength(1)
  })
})
