import {
  amend, buildAgreementVersion, decide, effectiveStatus, openingsOf, proposeAgreement, terminate, versionProblem
} from '../../src/domain/member-exchange-agreement'

const A = 'https://a.test/u/a'
const B = 'https://b.test/u/b'
const C = 'https://c.test/u/c'
const NOW = '2026-01-01T00:00:00.000Z'

function version (id: string, author: string, extra: Partial<Parameters<typeof buildAgreementVersion>[0]> = {}) {
  return buildAgreementVersion({
    id, author, parties: [A, B, C], name: 'Exchange', terms: 'Be kind.',
    services: [{ party: A, service: 'https://a.test/u/a/services/files', quota: 50 }, { party: B, service: 'https://b.test/u/b/services/mail' }],
    startTime: NOW, endTime: '2027-01-01T00:00:00.000Z', status: 'proposed', authorFollowers: `${author}/followers`, now: NOW, ...extra
  })
}

describe('member-exchange agreement', () => {
  it('builds one commitment per service and receiving party, the author\'s as reciprocal', () => {
    const doc = version('https://a.test/o/1', A)
    expect(doc.type).toEqual(['vf:Agreement', 'ioo:MemberExchangeAgreement'])
    expect(doc.stipulatesReciprocal?.map(c => c.receiver)).toEqual([B, C])
    expect(doc.stipulates?.map(c => `${c.provider}>${c.receiver}`)).toEqual([`${B}>${A}`, `${B}>${C}`])
    expect(doc.stipulatesReciprocal?.[0].resourceQuantity).toEqual({ hasUnit: 'one', hasNumericalValue: '50' })
    expect(openingsOf(doc)).toEqual([{ party: A, service: 'https://a.test/u/a/services/files', quota: 50 }, { party: B, service: 'https://b.test/u/b/services/mail' }])
    expect(versionProblem(doc, A)).toBeNull()
    expect(versionProblem(doc, B)).toContain('not to its sender')
  })

  it('is proposed until every party accepts, then active; a repeated decision changes nothing', () => {
    let r = proposeAgreement(version('https://a.test/o/1', A), 'https://a.test/s/offer', NOW)
    r = decide(r, 'https://a.test/s/offer', B, 'accepted', NOW)
    expect(effectiveStatus(r, NOW)).toBe('proposed')
    expect(decide(r, 'https://a.test/s/offer', B, 'accepted', NOW)).toBe(r)
    expect(() => decide(r, 'https://a.test/s/offer', B, 'rejected', NOW)).toThrow('already accepted')
    r = decide(r, 'https://a.test/s/offer', C, 'accepted', NOW)
    expect(effectiveStatus(r, NOW)).toBe('active')
    expect(effectiveStatus(r, '2027-06-01T00:00:00.000Z')).toBe('expired')
  })

  it('any rejection of a first proposal makes it rejected; strangers cannot decide', () => {
    const r = proposeAgreement(version('https://a.test/o/1', A), 'https://a.test/s/offer', NOW)
    expect(() => decide(r, 'https://a.test/s/offer', 'https://x.test/u/x', 'accepted', NOW)).toThrow('not a party')
    expect(effectiveStatus(decide(r, 'https://a.test/s/offer', C, 'rejected', NOW), NOW)).toBe('rejected')
  })

  it('keeps the active version in force until an amendment is accepted by all; a rejected amendment leaves it', () => {
    let r = proposeAgreement(version('https://a.test/o/1', A), 'o1', NOW)
    r = decide(decide(r, 'o1', B, 'accepted', NOW), 'o1', C, 'accepted', NOW)
    const amended = version('https://b.test/o/2', B, { terms: 'Be kinder.', context: 'https://a.test/o/1', supersedes: 'https://a.test/o/1' })
    r = amend(r, amended, 'u2', NOW)
    expect(r.activeVersionId).toBe('https://a.test/o/1')
    expect(r.pendingVersionId).toBe('https://b.test/o/2')
    expect(effectiveStatus(r, NOW)).toBe('active')
    const rejected = decide(r, 'u2', C, 'rejected', NOW)
    expect(rejected.activeVersionId).toBe('https://a.test/o/1')
    expect(effectiveStatus(rejected, NOW)).toBe('active')
    r = decide(decide(r, 'u2', A, 'accepted', NOW), 'u2', C, 'accepted', NOW)
    expect(r.activeVersionId).toBe('https://b.test/o/2')
    expect(r.versions.find(v => v.id === 'https://a.test/o/1')?.state).toBe('superseded')
  })

  it('refuses an amendment that skips a version or changes the parties', () => {
    const r = proposeAgreement(version('https://a.test/o/1', A), 'o1', NOW)
    expect(() => amend(r, version('https://b.test/o/2', B, { context: 'https://a.test/o/1', supersedes: 'https://a.test/o/0' }), 'u', NOW)).toThrow('latest version')
    expect(() => amend(r, version('https://b.test/o/2', B, { parties: [A, B], context: 'https://a.test/o/1', supersedes: 'https://a.test/o/1' }), 'u', NOW)).toThrow('parties')
  })

  it('terminates an agreement in force at the effective time', () => {
    let r = proposeAgreement(version('https://a.test/o/1', A), 'o1', NOW)
    const early = version('https://c.test/o/3', C, { status: 'terminated', context: 'https://a.test/o/1', supersedes: 'https://a.test/o/1' })
    expect(() => terminate(r, early, 't', NOW)).toThrow('only an agreement in force')
    r = decide(decide(r, 'o1', B, 'accepted', NOW), 'o1', C, 'accepted', NOW)
    const notice = version('https://c.test/o/3', C, { status: 'terminated', endTime: '2026-03-01T00:00:00.000Z', context: 'https://a.test/o/1', supersedes: 'https://a.test/o/1' })
    r = terminate(r, notice, 't', NOW)
    expect(r.termination).toEqual({ by: C, effectiveTime: '2026-03-01T00:00:00.000Z', versionId: 'https://c.test/o/3' })
    expect(effectiveStatus(r, NOW)).toBe('active')
    expect(effectiveStatus(r, '2026-03-01T00:00:00.000Z')).toBe('terminated')
  })
})
