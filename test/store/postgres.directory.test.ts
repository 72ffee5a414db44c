import { PostgresDirectoryRepository } from '../../src/store/postgres/postgres.directory.repository'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { directoryRepositoryContract, record } from './directory.contract'

const pg = usePostgresTestStore()

directoryRepositoryContract('PostgreSQL', async () => ({ repo: new PostgresDirectoryRepository(pg.db()), dispose: () => {} }))

describe('PostgreSQL directory storage', () => {
  it('keeps entries, the search index and the version for every process sharing the database', async () => {
    const first = new PostgresDirectoryRepository(pg.db())
    await first.upsertSourceEntry(record({ sourceId: 'h', website: 'hcoop.net', name: 'HCoop', summary: 'internet hosting' }))
    const version = await first.version()
    const other = new PostgresDirectoryRepository(pg.connect())
    expect((await other.search({ terms: ['hosting'], filters: {}, sort: 'relevance', limit: 5 })).items.map(e => e.name)).toEqual(['HCoop'])
    expect(await other.version()).toBe(version)
  })

  it('finds words without their accents, and takes what visitors type as words, not search syntax', async () => {
    const repo = new PostgresDirectoryRepository(pg.db())
    await repo.upsertSourceEntry(record({ sourceId: 'c', website: 'cafe.example', name: 'Nuage Coopératif', summary: 'hébergement et courriel' }))
    await repo.upsertSourceEntry(record({ sourceId: 'm', website: 'mail.example', name: 'Mail Co-op', summary: 'courriel only' }))
    const names = async (terms: string[]): Promise<string[]> => (await repo.search({ terms, filters: {}, sort: 'name', limit: 5 })).items.map(e => e.name)
    expect(await names(['cooperatif'])).toEqual(['Nuage Coopératif'])
    expect(await names(['hebergement', 'courriel'])).toEqual(['Nuage Coopératif'])
    // "or" and "-" are words here: all words must match.
    expect(await names(['hebergement', 'or', 'only'])).toEqual([])
    expect(await names(['-hebergement'])).toEqual(['Nuage Coopératif'])
  })
})
