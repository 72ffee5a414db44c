import { PostgresAgreementRepository } from '../../src/store/postgres/postgres.agreement.repository'
import { PostgresPoolRepository } from '../../src/store/postgres/postgres.pool.repository'
import { PostgresUmbrellaNotesRepository } from '../../src/store/postgres/postgres.umbrella-notes.repository'
import { PostgresUmbrellaWorkRepository } from '../../src/store/postgres/postgres.umbrella-work.repository'
import { PostgresUmbrellaRepository } from '../../src/store/postgres/postgres.umbrella.repository'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { describeAgreementRepositoryContract } from './agreement.contract'
import { describePoolRepositoryContract } from './pool.contract'
import { describeUmbrellaWorkRepositoryContract } from './umbrella-work.contract'
import { describeUmbrellaRepositoryContract } from './umbrella.contract'

// The file's hooks empty the database before each test; the contracts' `close` has nothing to release.
const pg = usePostgresTestStore()
const nothing = (): void => {}

describePoolRepositoryContract('PostgreSQL', () => new PostgresPoolRepository(pg.db()), nothing)
describeAgreementRepositoryContract('PostgreSQL', () => new PostgresAgreementRepository(pg.db()), nothing)
describeUmbrellaRepositoryContract('PostgreSQL', () => new PostgresUmbrellaRepository(pg.db()), nothing)
describeUmbrellaWorkRepositoryContract('PostgreSQL', () => new PostgresUmbrellaWorkRepository(pg.db()), nothing)

describe('PostgreSQL umbrella work across processes', () => {
  it('counts every vote cast at the same moment through several processes, and none after the close', async () => {
    const repos = [pg.db(), pg.connect(), pg.connect()].map(db => new PostgresUmbrellaWorkRepository(db))
    await repos[0].saveDecision({
      id: 'https://u.test/d/1', umbrellaId: 'https://u.test/u/net', question: 'Fund it?', options: ['yes', 'no'], closesAt: '2030-01-01T00:00:00.000Z',
      rule: 'majority', quorum: '0', action: null, status: 'open', actionResult: null, local: true, createdAt: '2026-01-01T00:00:00.000Z', closedAt: null
    })
    const voters = Array.from({ length: 30 }, (_v, i) => `https://m${i}.test/u/c`)
    const results = await Promise.all(voters.map(async (voterId, i) => await repos[i % 3].castVote({
      decisionId: 'https://u.test/d/1', voterId, choice: i % 3 === 0 ? 'no' : 'yes', noteId: `${voterId}#v`, castAt: '2026-01-02T00:00:00.000Z'
    })))
    expect(results.every(r => r.counted)).toBe(true)
    expect(await repos[1].getTally('https://u.test/d/1')).toEqual({ counts: { yes: 20, no: 10 }, votersCount: 30 })
    const closes = await Promise.all(repos.map(async r => await r.closeDecision('https://u.test/d/1', 'passed', { counts: { yes: 20, no: 10 }, votersCount: 30 }, '2026-01-03T00:00:00.000Z')))
    expect(closes.filter(Boolean)).toHaveLength(1)
    expect(await repos[2].castVote({ decisionId: 'https://u.test/d/1', voterId: voters[0], choice: 'yes', noteId: 'late', castAt: '2026-01-04T00:00:00.000Z' }))
      .toEqual({ counted: false, reason: 'closed' })
  })
})

describe('PostgreSQL umbrella notes', () => {
  it('keeps progress posts oldest first (a repeat replaces the content) and sent votes newest first, with their refusal', async () => {
    const notes = new PostgresUmbrellaNotesRepository(pg.db())
    const post = { id: 'https://u.test/n/2', projectId: 'https://u.test/p/1', umbrellaId: 'https://u.test/u/net', content: 'second', published: '2026-01-02T00:00:00.000Z' }
    await notes.saveProgressPost(post)
    await notes.saveProgressPost({ ...post, id: 'https://u.test/n/1', content: 'first', published: '2026-01-01T00:00:00.000Z' })
    await notes.saveProgressPost({ ...post, content: 'second, edited' })
    await notes.saveProgressPost({ ...post, id: 'https://u.test/n/9', projectId: 'https://u.test/p/other' })
    expect((await notes.listProgressPosts('https://u.test/p/1')).map(p => p.content)).toEqual(['first', 'second, edited'])

    const vote = { noteId: 'https://c.test/n/v1', decisionId: 'https://u.test/d/1', voterId: 'https://c.test/u/c', choice: 'yes', sentAt: '2026-01-01T00:00:00.000Z', refusedReason: null }
    await notes.saveSentVote(vote)
    await notes.saveSentVote({ ...vote, noteId: 'https://c.test/n/v2', sentAt: '2026-01-05T00:00:00.000Z' })
    await notes.saveSentVote({ ...vote, choice: 'no' }) // the same Note again: kept as first sent
    expect(await notes.refuseSentVote('https://c.test/n/v1', 'https://other.test/u/x', 'not yours')).toBe(false)
    expect(await notes.refuseSentVote('https://c.test/n/v1', vote.voterId, 'the decision was closed')).toBe(true)
    expect(await notes.listSentVotes(vote.voterId)).toEqual([
      { ...vote, noteId: 'https://c.test/n/v2', sentAt: '2026-01-05T00:00:00.000Z' },
      { ...vote, refusedReason: 'the decision was closed' }
    ])
  })
})
