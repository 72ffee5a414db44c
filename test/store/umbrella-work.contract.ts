/** The UmbrellaWorkRepository contract: every adapter must pass it. */
import type { DecisionRecord, ProjectRecord, UmbrellaWorkRepository } from '../../src/store/ports/umbrella-work.port'

const U = 'https://u.test/u/net'

/** A local open decision with the default options. */
export function decisionRecord (id: string, extra: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    id, umbrellaId: U, question: 'Fund it?', options: ['agree', 'abstain', 'disagree', 'block'], closesAt: '2026-03-08T12:00:00.000Z',
    rule: 'majority', quorum: '0.5', action: null, status: 'open', actionResult: null, local: true, createdAt: '2026-03-01T00:00:00.000Z', closedAt: null, ...extra
  }
}

/** A local project with two milestones. */
export function projectRecord (key: string, extra: Partial<ProjectRecord> = {}): ProjectRecord {
  return {
    id: `${U}/projects/${key}`, umbrellaId: U, key, name: 'Sync', summary: 'Better sync', upstream: { name: 'Up', url: 'https://up.test' },
    milestones: [{ name: 'Design', due: '2026-04-01T00:00:00.000Z', status: 'active' }, { name: 'Build', due: null, status: 'planned' }],
    poolIds: ['https://u.test/o/pool'], approved: false, local: true, createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', ...extra
  }
}

/** Registers the contract for one adapter; `open` gives a fresh repository, `close` releases it. */
export function describeUmbrellaWorkRepositoryContract (name: string, open: () => UmbrellaWorkRepository, close: () => void): void {
  describe(`UmbrellaWorkRepository contract: ${name}`, () => {
    let repo: UmbrellaWorkRepository
    beforeEach(() => { repo = open() })
    afterEach(() => close())

    it('saves and replaces projects with their milestones in order, and approves them', async () => {
      await repo.saveProject(projectRecord('sync'))
      await repo.saveProject(projectRecord('docs', { createdAt: '2026-03-02T00:00:00.000Z', upstream: null }))
      await repo.saveProject(projectRecord('sync', { name: 'Sync 2', milestones: [{ name: 'Build', due: null, status: 'active' }] }))
      const sync = await repo.getProject(`${U}/projects/sync`)
      expect(sync).toMatchObject({ name: 'Sync 2', milestones: [{ name: 'Build', due: null, status: 'active' }], poolIds: ['https://u.test/o/pool'], approved: false })
      expect((await repo.listProjects(U)).map(p => p.key)).toEqual(['sync', 'docs'])
      expect((await repo.getProject(`${U}/projects/docs`))?.upstream).toBeNull()
      expect(await repo.approveProject(`${U}/projects/sync`, '2026-03-09T00:00:00.000Z')).toBe(true)
      expect((await repo.getProject(`${U}/projects/sync`))?.approved).toBe(true)
      expect(await repo.approveProject(`${U}/projects/none`, '2026-03-09T00:00:00.000Z')).toBe(false)
    })

    it('keeps each commitment once, with its exact decimals', async () => {
      const c = { id: 'https://a.test/o/c1', projectId: `${U}/projects/sync`, memberId: 'https://a.test/u/a', hours: '100.10', amount: { type: 'MonetaryAmount' as const, currency: 'EUR', value: '100.10' }, note: 'n', createdAt: '2026-03-02T00:00:00.000Z' }
      expect(await repo.saveCommitment(c)).toBe(true)
      expect(await repo.saveCommitment({ ...c, hours: '1' })).toBe(false)
      await repo.saveCommitment({ ...c, id: 'https://b.test/o/c2', memberId: 'https://b.test/u/b', hours: null, note: null, createdAt: '2026-03-03T00:00:00.000Z' })
      expect(await repo.listCommitments({ projectId: c.projectId })).toEqual([c, { ...c, id: 'https://b.test/o/c2', memberId: 'https://b.test/u/b', hours: null, note: null, createdAt: '2026-03-03T00:00:00.000Z' }])
      expect((await repo.listCommitments({ memberId: 'https://b.test/u/b' })).map(x => x.id)).toEqual(['https://b.test/o/c2'])
    })

    it('replaces a member\'s vote and keeps the tally in step with the votes', async () => {
      const id = `${U}/decisions/1`
      await repo.saveDecision(decisionRecord(id))
      expect(await repo.getTally(id)).toEqual({ counts: { agree: 0, abstain: 0, disagree: 0, block: 0 }, votersCount: 0 })
      const first = await repo.castVote({ decisionId: id, voterId: 'https://a.test/u/a', choice: 'agree', noteId: 'https://a.test/o/v1', castAt: '2026-03-02T00:00:00.000Z' })
      expect(first).toMatchObject({ counted: true, previous: null })
      await repo.castVote({ decisionId: id, voterId: 'https://b.test/u/b', choice: 'agree', noteId: 'https://b.test/o/v1', castAt: '2026-03-02T01:00:00.000Z' })
      const replaced = await repo.castVote({ decisionId: id, voterId: 'https://a.test/u/a', choice: 'disagree', noteId: 'https://a.test/o/v2', castAt: '2026-03-03T00:00:00.000Z' })
      expect(replaced).toEqual({
        counted: true,
        previous: { decisionId: id, voterId: 'https://a.test/u/a', choice: 'agree', noteId: 'https://a.test/o/v1', castAt: '2026-03-02T00:00:00.000Z' },
        tally: { counts: { agree: 1, abstain: 0, disagree: 1, block: 0 }, votersCount: 2 }
      })
      expect((await repo.listVotes(id)).map(v => `${v.voterId} ${v.choice}`)).toEqual(['https://b.test/u/b agree', 'https://a.test/u/a disagree'])
      expect(await repo.castVote({ decisionId: `${U}/decisions/none`, voterId: 'x', choice: 'agree', noteId: 'y', castAt: '2026-03-03T00:00:00.000Z' }))
        .toEqual({ counted: false, reason: 'unknown-decision' })
    })

    it('lists due open decisions, closes each once, and counts no vote after', async () => {
      await repo.saveDecision(decisionRecord(`${U}/decisions/1`))
      await repo.saveDecision(decisionRecord(`${U}/decisions/2`, { closesAt: '2026-03-20T00:00:00.000Z' }))
      await repo.saveDecision(decisionRecord('https://v.test/u/other/decisions/3', { umbrellaId: 'https://v.test/u/other', local: false }))
      expect((await repo.listDueDecisions('2026-03-10T00:00:00.000Z')).map(d => d.id)).toEqual([`${U}/decisions/1`])
      const final = { counts: { agree: 2, abstain: 0, disagree: 0, block: 0 }, votersCount: 2 }
      expect(await repo.closeDecision(`${U}/decisions/1`, 'passed', final, '2026-03-10T00:00:00.000Z')).toBe(true)
      expect(await repo.closeDecision(`${U}/decisions/1`, 'failed', final, '2026-03-10T00:00:01.000Z')).toBe(false)
      expect(await repo.getDecision(`${U}/decisions/1`)).toMatchObject({ status: 'passed', closedAt: '2026-03-10T00:00:00.000Z' })
      expect(await repo.getTally(`${U}/decisions/1`)).toEqual(final)
      expect(await repo.listDueDecisions('2026-03-10T00:00:00.000Z')).toEqual([])
      expect(await repo.castVote({ decisionId: `${U}/decisions/1`, voterId: 'a', choice: 'block', noteId: 'n', castAt: '2026-03-11T00:00:00.000Z' }))
        .toEqual({ counted: false, reason: 'closed' })
      expect(await repo.getTally(`${U}/decisions/1`)).toEqual(final)
    })

    it('replaces a remote decision\'s tally and records allocations with their decision\'s result', async () => {
      await repo.saveDecision(decisionRecord(`${U}/decisions/1`, { action: { type: 'ioo:AllocateFunds', pool: 'https://u.test/o/pool', project: `${U}/projects/sync`, amount: { currency: 'EUR', value: '10.00' } } }))
      await repo.replaceTally(`${U}/decisions/1`, { counts: { agree: 3, abstain: 1, disagree: 0, block: 0 }, votersCount: 4 })
      expect(await repo.getTally(`${U}/decisions/1`)).toEqual({ counts: { agree: 3, abstain: 1, disagree: 0, block: 0 }, votersCount: 4 })
      await repo.saveAllocation({ decisionId: `${U}/decisions/1`, poolId: 'https://u.test/o/pool', projectId: `${U}/projects/sync`, amount: { type: 'MonetaryAmount', currency: 'EUR', value: '10.00' }, allocatedAt: '2026-03-10T00:00:00.000Z' })
      expect((await repo.getDecision(`${U}/decisions/1`))?.actionResult).toBe('applied')
      expect((await repo.getDecision(`${U}/decisions/1`))?.action).toMatchObject({ type: 'ioo:AllocateFunds', pool: 'https://u.test/o/pool' })
      expect((await repo.listAllocations({ poolId: 'https://u.test/o/pool' })).map(a => a.amount.value)).toEqual(['10.00'])
      expect(await repo.listAllocations({ projectId: `${U}/projects/other` })).toEqual([])
    })
  })
}
