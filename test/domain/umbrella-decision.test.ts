import fc from 'fast-check'
import {
  applyVote, closeWith, DecisionRecord, DecisionRuleError, DEFAULT_OPTIONS, emptyTally, meetsQuorum, newDecision, parseQuorum,
  quorumProblem, tallyVotes, voteRefusal
} from '../../src/domain/umbrella/decision'

const NOW = '2026-03-01T12:00:00.000Z'
const CLOSES = '2026-03-08T12:00:00.000Z'

function decision (extra: Partial<Parameters<typeof newDecision>[0]> = {}): DecisionRecord {
  return newDecision({ id: 'https://u.test/u/net/decisions/1', umbrellaId: 'https://u.test/u/net', question: 'Fund the sync work?', closesAt: CLOSES, rule: 'majority', ...extra }, NOW)
}

function tallyOf (counts: Record<string, number>): { counts: Record<string, number>, votersCount: number } {
  return { counts, votersCount: Object.values(counts).reduce((a, b) => a + b, 0) }
}

describe('decision rules', () => {
  it('defaults to Loomio\'s options and checks own options', () => {
    expect(decision().options).toEqual(['agree', 'abstain', 'disagree', 'block'])
    expect(decision({ options: [' red ', 'blue'] }).options).toEqual(['red', 'blue'])
    expect(() => decision({ options: ['red', 'red'] })).toThrow(DecisionRuleError)
    expect(() => decision({ options: ['only'] })).toThrow('at least two options')
  })

  it('refuses a close time in the past and an action without the default options', () => {
    expect(() => decision({ closesAt: '2026-02-01T00:00:00Z' })).toThrow('must be in the future')
    expect(() => decision({ options: ['a', 'b'], action: { type: 'ioo:ApproveProject', object: 'https://u.test/u/net/projects/x' } }))
      .toThrow(expect.objectContaining({ field: 'action' }) as Error)
  })

  it('counts a member\'s vote before close for a known option, and refuses the others with a reason', () => {
    const d = decision()
    expect(voteRefusal(d, { isMember: true, choice: 'agree', at: '2026-03-08T11:59:59.999Z' })).toBeNull()
    expect(voteRefusal(d, { isMember: false, choice: 'agree', at: NOW })).toBe('not-a-member')
    expect(voteRefusal(d, { isMember: true, choice: 'agree', at: CLOSES })).toBe('closed')
    expect(voteRefusal(d, { isMember: true, choice: 'maybe', at: NOW })).toBe('unknown-option')
    expect(voteRefusal({ ...d, status: 'passed' }, { isMember: true, choice: 'agree', at: NOW })).toBe('closed')
  })

  it('keeps one vote per member: the later replaces the earlier', () => {
    const tally = tallyVotes(DEFAULT_OPTIONS, [
      { voterId: 'a', choice: 'agree', castAt: '2026-03-02T00:00:00Z' },
      { voterId: 'b', choice: 'agree', castAt: '2026-03-02T01:00:00Z' },
      { voterId: 'a', choice: 'disagree', castAt: '2026-03-03T00:00:00Z' }
    ])
    expect(tally).toEqual({ counts: { agree: 1, abstain: 0, disagree: 1, block: 0 }, votersCount: 2 })
  })

  it('updating a tally vote by vote gives the same as counting all votes (property)', () => {
    const vote = fc.record({ voter: fc.constantFrom('a', 'b', 'c', 'd'), choice: fc.constantFrom(...DEFAULT_OPTIONS) })
    fc.assert(fc.property(fc.array(vote, { maxLength: 30 }), votes => {
      let tally = emptyTally(DEFAULT_OPTIONS)
      const current = new Map<string, string>()
      for (const v of votes) {
        tally = applyVote(tally, current.get(v.voter) ?? null, v.choice)
        current.set(v.voter, v.choice)
      }
      const recount = tallyVotes(DEFAULT_OPTIONS, votes.map((v, i) => ({ voterId: v.voter, choice: v.choice, castAt: String(i).padStart(3, '0') })))
      expect(tally).toEqual(recount)
    }))
  })

  it('majority passes when agree beats disagree; abstain and block only count toward the quorum', () => {
    const d = decision()
    expect(closeWith(d, tallyOf({ agree: 2, abstain: 0, disagree: 1, block: 1 }), 4).status).toBe('passed')
    expect(closeWith(d, tallyOf({ agree: 1, abstain: 3, disagree: 1, block: 0 }), 5).status).toBe('failed')
  })

  it('consensus fails on a single block', () => {
    const d = decision({ rule: 'consensus' })
    expect(closeWith(d, tallyOf({ agree: 5, abstain: 0, disagree: 0, block: 1 }), 6).status).toBe('failed')
    expect(closeWith(d, tallyOf({ agree: 5, abstain: 1, disagree: 0, block: 0 }), 6).status).toBe('passed')
  })

  it('with own options, majority needs more than half the votes and consensus all of them', () => {
    const own = decision({ options: ['red', 'blue', 'green'] })
    expect(closeWith(own, tallyOf({ red: 2, blue: 1, green: 0 }), 3)).toEqual({ status: 'passed', winner: 'red' })
    expect(closeWith(own, tallyOf({ red: 2, blue: 1, green: 1 }), 4)).toEqual({ status: 'failed', winner: null })
    const consensus = decision({ options: ['red', 'blue'], rule: 'consensus' })
    expect(closeWith(consensus, tallyOf({ red: 2, blue: 1 }), 3).status).toBe('failed')
    expect(closeWith(consensus, tallyOf({ red: 3, blue: 0 }), 3).status).toBe('passed')
  })
})

describe('quorum', () => {
  it('is exact at the boundary: 0.5 of 4 members is 2 voters, of 3 members also 2', () => {
    const half = parseQuorum(0.5)
    expect(meetsQuorum(2, 4, half)).toBe(true)
    expect(meetsQuorum(1, 4, half)).toBe(false)
    expect(meetsQuorum(1, 3, half)).toBe(false)
    expect(meetsQuorum(2, 3, half)).toBe(true)
  })

  it('has no float surprises: 0.3 of 10 members is met by exactly 3 voters', () => {
    // 0.1 + 0.2 !== 0.3 in floats; the fraction 3/10 compares exactly.
    expect(meetsQuorum(3, 10, parseQuorum(0.3))).toBe(true)
    expect(meetsQuorum(2, 10, parseQuorum(0.3))).toBe(false)
    expect(meetsQuorum(7, 10, parseQuorum('0.7'))).toBe(true)
    expect(meetsQuorum(1, 3, parseQuorum('0.333334'))).toBe(false)
    expect(meetsQuorum(1, 3, parseQuorum('0.333333'))).toBe(true)
  })

  it('0 needs nobody, 1 needs everyone, and a quorum above 0 is never met by no voters', () => {
    expect(meetsQuorum(0, 5, parseQuorum(0))).toBe(true)
    expect(meetsQuorum(4, 5, parseQuorum(1))).toBe(false)
    expect(meetsQuorum(5, 5, parseQuorum(1))).toBe(true)
    expect(meetsQuorum(0, 0, parseQuorum(0.5))).toBe(false)
  })

  it('a closing below the quorum is no-quorum whatever the votes', () => {
    const d = decision({ quorum: 0.5 })
    expect(closeWith(d, tallyOf({ agree: 1, abstain: 0, disagree: 0, block: 0 }), 3).status).toBe('no-quorum')
    expect(closeWith(d, tallyOf({ agree: 2, abstain: 0, disagree: 0, block: 0 }), 3).status).toBe('passed')
  })

  it('parses numbers and decimal strings, with exponents, and refuses what is not 0..1', () => {
    expect(parseQuorum(5e-1).text).toBe('0.5')
    expect(parseQuorum('0.250').text).toBe('0.25')
    expect(parseQuorum(1).text).toBe('1')
    expect(parseQuorum(1e-6).text).toBe('0.000001')
    expect(quorumProblem(1.5)).toBe('must be between 0 and 1')
    expect(quorumProblem(-0.5)).toContain('between 0 and 1')
    expect(quorumProblem('0.1234567')).toBe('may have at most 6 decimals')
    expect(quorumProblem('1e-400')).toContain('between 0 and 1')
  })

  it('agrees with exact rational comparison for any members, voters and quorum (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (members, extra, permille) => {
      const voters = Math.min(members, extra)
      const expected = permille === 0 ? true : voters > 0 && voters * 1000 >= members * permille
      expect(meetsQuorum(voters, members, parseQuorum((permille / 1000).toString()))).toBe(expected)
    }))
  })
})
