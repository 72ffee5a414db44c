import { ConflictError, ValidationError } from '../../src/errors/app-errors'
import { expiryJob } from '../../src/sync/expiry/expiry.job'
import { decisionsExpirer } from '../../src/umbrellas/decisions.expirer'
import { ALPHA, BETA, Bench, GAMMA, openBench, OUTSIDER, UMBRELLA } from './umbrella-work.fixtures'

let bench: Bench
beforeEach(() => { bench = openBench() })
afterEach(() => bench.close())

const CLOSES = '2026-03-08T12:00:00.000Z'

function voteNote (voter: string, decision: string, choice: string, id: string): Record<string, unknown> {
  return { id, type: 'Note', name: choice, inReplyTo: decision, attributedTo: voter, to: [UMBRELLA] }
}

describe('DecisionsService', () => {
  it('opens a decision with the default options and federates its Question to followers and members', async () => {
    const view = await bench.decisions.open(UMBRELLA, { question: 'Adopt the charter?', closesAt: CLOSES, rule: 'majority', quorum: 0.5 })
    expect(view).toMatchObject({ status: 'open', options: ['agree', 'abstain', 'disagree', 'block'], quorum: '0.5', voters: 0, members: 2 })
    expect(bench.sent).toHaveLength(1)
    expect(bench.sent[0]).toMatchObject({ type: 'Create', actor: UMBRELLA, cc: [`${UMBRELLA}/followers`, ALPHA, BETA] })
    expect((bench.sent[0].object as Record<string, unknown>).type).toEqual(['Question', 'ioo:Decision'])
  })

  it('refuses a bad decision with a 4xx error and stores nothing', async () => {
    await expect(bench.decisions.open(UMBRELLA, { question: 'Q?', closesAt: '2026-02-01T00:00:00Z', rule: 'majority' })).rejects.toThrow('closesAt must be in the future')
    await expect(bench.decisions.open(UMBRELLA, { question: 'Q?', closesAt: CLOSES, rule: 'majority', quorum: 1.5 })).rejects.toBeInstanceOf(ValidationError)
    await expect(bench.decisions.open(UMBRELLA, { question: 'Q?', closesAt: CLOSES, rule: 'majority', action: { type: 'ioo:AdmitMember', object: ALPHA } }))
      .rejects.toThrow('already a member')
    expect(await bench.store.umbrellaWork.listDecisions(UMBRELLA)).toEqual([])
    expect(bench.sent).toEqual([])
  })

  it('counts one vote per member, replaces it, and refuses non-members, unknown options and late votes with a Reject', async () => {
    const { id } = await bench.decisions.open(UMBRELLA, { question: 'Admit gamma?', closesAt: CLOSES, rule: 'majority', quorum: 0.5, action: { type: 'ioo:AdmitMember', object: GAMMA } })
    bench.clock.now = '2026-03-02T00:00:00.000Z'
    expect(await bench.decisions.receiveVote(ALPHA, 'https://a.test/s/1', voteNote(ALPHA, id, 'agree', 'https://a.test/o/v1'))).toEqual({ counted: true })
    expect(await bench.decisions.receiveVote(ALPHA, 'https://a.test/s/2', voteNote(ALPHA, id, 'disagree', 'https://a.test/o/v2'))).toEqual({ counted: true })
    expect(await bench.decisions.receiveVote(BETA, 'https://b.test/s/1', voteNote(BETA, id, 'agree', 'https://b.test/o/v1'))).toEqual({ counted: true })
    expect(await bench.decisions.receiveVote(OUTSIDER, 'https://x.test/s/1', voteNote(OUTSIDER, id, 'agree', 'https://x.test/o/v1'))).toEqual({ counted: false, reason: 'not-a-member' })
    expect(await bench.decisions.receiveVote(BETA, 'https://b.test/s/2', voteNote(BETA, id, 'maybe', 'https://b.test/o/v2'))).toEqual({ counted: false, reason: 'unknown-option' })
    bench.clock.now = CLOSES
    expect(await bench.decisions.receiveVote(BETA, 'https://b.test/s/3', voteNote(BETA, id, 'block', 'https://b.test/o/v3'))).toEqual({ counted: false, reason: 'closed' })

    const view = await bench.decisions.view(id)
    expect(view.tally).toEqual({ agree: 1, abstain: 0, disagree: 1, block: 0 })
    expect(view.voters).toBe(2)
    const rejects = bench.sent.filter(a => a.type === 'Reject')
    expect(rejects.map(r => [r.to[0], r.object])).toEqual([[OUTSIDER, 'https://x.test/s/1'], [BETA, 'https://b.test/s/2'], [BETA, 'https://b.test/s/3']])
    expect(rejects[1].summary).toContain('agree, abstain, disagree, block')
    const lastUpdate = bench.sent.filter(a => a.type === 'Update').at(-1)?.object as Record<string, unknown>
    expect(lastUpdate.votersCount).toBe(2)
    expect((lastUpdate.oneOf as Array<{ name: string, replies: { totalItems: number } }>).map(o => o.replies.totalItems)).toEqual([1, 0, 1, 0])
  })

  it('a local co-op\'s vote goes out as Mastodon\'s vote Note and is counted when the umbrella lives here', async () => {
    const { id } = await bench.decisions.open(UMBRELLA, { question: 'Q?', closesAt: CLOSES, rule: 'consensus' })
    const vote = await bench.decisions.vote(ALPHA, { decision: id, choice: 'agree' })
    const create = bench.sent.find(a => a.type === 'Create' && a.actor === ALPHA)
    expect(create?.object).toMatchObject({ id: vote.id, type: 'Note', name: 'agree', inReplyTo: id, attributedTo: ALPHA, to: [UMBRELLA] })
    expect((await bench.decisions.view(id)).tally.agree).toBe(1)
    await expect(bench.decisions.vote(OUTSIDER, { decision: id, choice: 'agree' })).rejects.toBeInstanceOf(ValidationError)
    bench.clock.now = CLOSES
    await expect(bench.decisions.vote(ALPHA, { decision: id, choice: 'agree' })).rejects.toBeInstanceOf(ConflictError)
  })

  it('the expiry job closes a due decision once, federates the closed Question and admits the member', async () => {
    const { id } = await bench.decisions.open(UMBRELLA, { question: 'Admit gamma?', closesAt: CLOSES, rule: 'majority', quorum: 0.5, action: { type: 'ioo:AdmitMember', object: GAMMA } })
    bench.clock.now = '2026-03-02T00:00:00.000Z'
    await bench.decisions.receiveVote(BETA, 'https://b.test/s/1', voteNote(BETA, id, 'agree', 'https://b.test/o/v1'))
    const job = expiryJob([decisionsExpirer(bench.decisions)], () => Date.parse('2026-03-08T12:00:00.000Z'))
    const run = await job.run({ trigger: 'schedule', progress: () => {}, options: {} } as never)
    expect(run.outcome).toBe('succeeded')
    expect(run.counts).toMatchObject({ changed: 1 })
    const view = await bench.decisions.view(id)
    expect(view).toMatchObject({ status: 'passed', closedAt: '2026-03-08T12:00:00.000Z', actionResult: 'applied' })
    expect(bench.admitted).toEqual([GAMMA])
    const closed = bench.sent.filter(a => a.type === 'Update').at(-1)?.object as Record<string, unknown>
    expect(closed).toMatchObject({ closed: '2026-03-08T12:00:00.000Z', decisionStatus: 'passed', votersCount: 1 })
    expect((await job.run({ trigger: 'schedule', progress: () => {}, options: {} } as never)).counts).toMatchObject({ changed: 0 })
    expect(bench.admitted).toEqual([GAMMA])
  })

  it('closes below the quorum as no-quorum and runs no action', async () => {
    bench.members.add(GAMMA)
    const { id } = await bench.decisions.open(UMBRELLA, { question: 'Remove beta?', closesAt: CLOSES, rule: 'majority', quorum: 0.7, action: { type: 'ioo:RemoveMember', object: BETA } })
    bench.clock.now = '2026-03-02T00:00:00.000Z'
    await bench.decisions.receiveVote(ALPHA, 'https://a.test/s/1', voteNote(ALPHA, id, 'agree', 'https://a.test/o/v1'))
    await bench.decisions.receiveVote(GAMMA, 'https://c.test/s/1', voteNote(GAMMA, id, 'agree', 'https://c.test/o/v1'))
    // 2 of 3 members is below 0.7 (2 × 10 < 3 × 7).
    expect(await bench.decisions.closeDue('2026-03-09T00:00:00.000Z')).toEqual({ expired: 1, checked: 1 })
    expect(await bench.decisions.view(id)).toMatchObject({ status: 'no-quorum', actionResult: 'none' })
    expect(bench.members.has(BETA)).toBe(true)
  })

  it('opens an admission decision for a Join; a failed one refuses the Join and admits nobody', async () => {
    const opened = await bench.decisions.openAdmission(UMBRELLA, GAMMA, 3600)
    expect(opened).toMatchObject({ closesAt: '2026-03-01T13:00:00.000Z', rule: 'majority', quorum: '0.5', action: { type: 'ioo:AdmitMember', object: GAMMA }, options: ['agree', 'abstain', 'disagree', 'block'] })
    await bench.decisions.receiveVote(ALPHA, 'https://a.test/s/1', voteNote(ALPHA, opened.id, 'disagree', 'https://a.test/o/v1'))
    await bench.decisions.closeDue('2026-03-01T13:00:00.000Z')
    expect(await bench.decisions.view(opened.id)).toMatchObject({ status: 'failed', actionResult: 'none' })
    expect(bench.admitted).toEqual([])
    expect(bench.refused).toEqual([{ coop: GAMMA, reason: expect.stringContaining('failed') }])
  })

  it('records the votes a local co-op sent and the umbrella\'s refusal of one, only when the umbrella it went to refuses it', async () => {
    await bench.store.umbrellaWork.saveDecision({ id: 'https://u.test/u/net/decisions/r1', umbrellaId: UMBRELLA, question: 'Q?', options: ['agree', 'abstain', 'disagree', 'block'], closesAt: CLOSES, rule: 'majority', quorum: '0', action: null, status: 'open', actionResult: null, local: false, createdAt: bench.clock.now, closedAt: null })
    const sent = await bench.decisions.vote(ALPHA, { decision: 'https://u.test/u/net/decisions/r1', choice: 'agree' })
    expect(await bench.decisions.sentVotes(ALPHA)).toEqual([{ id: sent.id, decision: 'https://u.test/u/net/decisions/r1', choice: 'agree', sentAt: bench.clock.now, refused: null }])
    expect(await bench.decisions.voteRefused('https://other.test/u/x', ALPHA, sent.id, 'no')).toBe(false)
    expect(await bench.decisions.voteRefused(UMBRELLA, BETA, sent.id, 'no')).toBe(false)
    expect(await bench.decisions.voteRefused(UMBRELLA, ALPHA, sent.id, 'Voting closed')).toBe(true)
    expect((await bench.decisions.sentVotes(ALPHA))[0].refused).toBe('Voting closed')
  })

  it('keeps a copy of a remote umbrella\'s Question with its tally', async () => {
    const { id } = await bench.decisions.open(UMBRELLA, { question: 'Q?', closesAt: CLOSES, rule: 'majority' })
    await bench.decisions.receiveVote(ALPHA, 'https://a.test/s/1', voteNote(ALPHA, id, 'block', 'https://a.test/o/v1'))
    const question = bench.sent.filter(a => a.type === 'Update').at(-1)?.object as Record<string, unknown>
    const other = openBench()
    try {
      const copy = await other.decisions.receiveQuestion(UMBRELLA, question)
      expect(copy).toMatchObject({ local: false, status: 'open', quorum: '0', options: ['agree', 'abstain', 'disagree', 'block'] })
      expect(await other.decisions.view(id)).toMatchObject({ tally: { agree: 0, abstain: 0, disagree: 0, block: 1 }, voters: 1, members: null })
      await expect(other.decisions.receiveQuestion(OUTSIDER, question)).rejects.toThrow('not attributed')
    } finally {
      other.close()
    }
  })
})
