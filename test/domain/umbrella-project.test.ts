import fc from 'fast-check'
import { checkCommitment, CommitmentRecord, commitmentTotals, hoursProblem, milestoneTransitionAllowed, nextMilestones, ProjectRuleError, sumHours } from '../../src/domain/umbrella/project'

function commitment (memberId: string, extra: Partial<CommitmentRecord>): CommitmentRecord {
  return { id: `${memberId}/c/${Math.random()}`, projectId: 'https://u.test/u/net/projects/sync', memberId, hours: null, amount: null, note: null, createdAt: '2026-03-01T00:00:00Z', ...extra }
}

describe('shared projects', () => {
  it('totals 100.10 and 0.20 to exactly 100.30, in money and in hours', () => {
    const totals = commitmentTotals([
      commitment('a', { amount: { currency: 'EUR', value: '100.10' }, hours: '100.10' }),
      commitment('b', { amount: { currency: 'EUR', value: '0.20' }, hours: '0.20' })
    ])
    expect(totals.money).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '100.30' }])
    expect(totals.hours).toBe('100.30')
  })

  it('totals per member and per currency', () => {
    const totals = commitmentTotals([
      commitment('a', { hours: '12.5' }),
      commitment('b', { amount: { currency: 'CHF', value: '50' } }),
      commitment('a', { amount: { currency: 'EUR', value: '10.05' }, hours: '0.25' }),
      commitment('b', { amount: { currency: 'EUR', value: '1.00' } })
    ])
    expect(totals.hours).toBe('12.75')
    expect(totals.money.map(m => `${m.currency} ${m.value}`)).toEqual(['CHF 50.00', 'EUR 11.05'])
    expect(totals.perMember).toEqual([
      { memberId: 'a', hours: '12.75', money: [{ type: 'MonetaryAmount', currency: 'EUR', value: '10.05' }] },
      { memberId: 'b', hours: '0.00', money: [{ type: 'MonetaryAmount', currency: 'CHF', value: '50.00' }, { type: 'MonetaryAmount', currency: 'EUR', value: '1.00' }] }
    ])
  })

  it('sums hundredths of hours exactly for any amounts (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 99_999_999 }), { maxLength: 20 }), hundredths => {
      const text = hundredths.map(h => `${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`)
      const total = hundredths.reduce((a, b) => a + BigInt(b), 0n)
      expect(sumHours(text)).toBe(`${total / 100n}.${String(total % 100n).padStart(2, '0')}`)
    }))
  })

  it('needs hours or an amount, and refuses float-like or over-precise values', () => {
    expect(() => checkCommitment({})).toThrow('hours, an amount, or both')
    expect(hoursProblem(12.5)).toContain('decimal string')
    expect(hoursProblem('1.255')).toContain('at most two decimals')
    expect(hoursProblem('0.00')).toBe('hours must be greater than zero')
    expect(() => checkCommitment({ amount: { currency: 'EUR', value: '0.001' } })).toThrow('EUR has 2 decimals')
    expect(checkCommitment({ amount: { currency: 'EUR', value: '5' } }).amount).toEqual({ type: 'MonetaryAmount', currency: 'EUR', value: '5.00' })
  })

  it('moves milestones forward, lets active go back to planned, and keeps done done', () => {
    expect(milestoneTransitionAllowed('planned', 'active')).toBe(true)
    expect(milestoneTransitionAllowed('active', 'planned')).toBe(true)
    expect(milestoneTransitionAllowed('planned', 'done')).toBe(true)
    expect(milestoneTransitionAllowed('done', 'active')).toBe(false)
    const current = [{ name: 'Design', due: null, status: 'done' as const }, { name: 'Build', due: null, status: 'active' as const }]
    expect(nextMilestones(current, [{ name: 'Design', status: 'done' }, { name: 'Build', status: 'done', due: '2026-06-01T00:00:00Z' }]))
      .toEqual([{ name: 'Design', due: null, status: 'done' }, { name: 'Build', due: '2026-06-01T00:00:00Z', status: 'done' }])
    expect(() => nextMilestones(current, [{ name: 'Design', status: 'planned' }])).toThrow('milestone "Design" is done and cannot go back to planned')
    expect(() => nextMilestones([], [{ name: 'A', status: 'planned' }, { name: 'A ', status: 'active' }])).toThrow(ProjectRuleError)
  })
})
