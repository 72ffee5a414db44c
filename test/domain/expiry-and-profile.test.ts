import {
  agreementAsPublished, amend, buildAgreementVersion, decide, effectiveStatus, expire, expiryDue, expiryNoticeProblem, proposeAgreement, terminate
} from '../../src/domain/member-exchange-agreement'
import { closeAtDeadline, FundingPool, isPastDeadline } from '../../src/domain/funding-pool'
import { applyProfilePatch } from '../../src/domain/coop'
import { buildCoopActor, coopProfileOf, rebuildCoopActor } from '../../src/federation/actors/coop-actor'

const A = 'https://a.test/u/a'
const B = 'https://b.test/u/b'
const NOW = '2026-01-01T00:00:00.000Z'
const END = '2026-06-01T00:00:00.000Z'
const AFTER = '2026-06-01T00:00:01.000Z'

function version (id: string, author: string, extra: Partial<Parameters<typeof buildAgreementVersion>[0]> = {}) {
  return buildAgreementVersion({
    id, author, parties: [A, B], name: 'Exchange', terms: 'Be kind.', services: [{ party: A, service: 'https://a.test/u/a/services/files' }],
    startTime: NOW, endTime: END, status: 'proposed', authorFollowers: `${author}/followers`, now: NOW, ...extra
  })
}

function active () {
  return decide(proposeAgreement(version('https://a.test/o/1', A), 'https://a.test/s/offer', NOW), 'https://a.test/s/offer', B, 'accepted', NOW)
}

describe('agreement expiry', () => {
  it('is due only past the end of the version in force, and once stored stays expired', () => {
    const r = active()
    expect(expiryDue(r, NOW)).toBe(false)
    expect(expiryDue(r, END)).toBe(true)
    const { record, version: ended } = expire(r, AFTER)
    expect(record).toMatchObject({ status: 'expired', pendingVersionId: null, updatedAt: AFTER })
    expect(ended?.id).toBe('https://a.test/o/1')
    expect(effectiveStatus(record, AFTER)).toBe('expired')
    expect(expiryDue(record, AFTER)).toBe(false)
    expect(() => expire(record, AFTER)).toThrow('not past its end')
    expect(() => expire(r, NOW)).toThrow('active, not past its end')
    expect(agreementAsPublished(record, AFTER)).toMatchObject({ id: 'https://a.test/o/1', agreementStatus: 'expired', endTime: END })
  })

  it('expires a proposal nobody accepted in time, and then takes no decision or amendment', () => {
    const proposed = proposeAgreement(version('https://a.test/o/1', A), 'https://a.test/s/offer', NOW)
    expect(() => decide(proposed, 'https://a.test/s/offer', B, 'accepted', AFTER)).toThrow('expired')
    const { record } = expire(proposed, AFTER)
    expect(record.status).toBe('expired')
    const amendment = version('https://b.test/o/2', B, { endTime: '2027-01-01T00:00:00.000Z', context: 'https://a.test/o/1', supersedes: 'https://a.test/o/1' })
    expect(() => amend(record, amendment, 'https://b.test/s/update', AFTER)).toThrow('expired and cannot be amended')
  })

  it('leaves a termination that took effect first as terminated', () => {
    const notice = version('https://b.test/o/3', B, { status: 'terminated', endTime: '2026-03-01T00:00:00.000Z', context: 'https://a.test/o/1', supersedes: 'https://a.test/o/1' })
    const terminated = terminate(active(), notice, 'https://b.test/s/t', NOW)
    expect(effectiveStatus(terminated, AFTER)).toBe('terminated')
    expect(expiryDue(terminated, AFTER)).toBe(false)
  })

  it('takes an expiry notice only from the version\'s author, with its end unchanged and passed', () => {
    const r = active()
    const notice = { ...version('https://a.test/o/1', A), agreementStatus: 'expired' as const }
    expect(expiryNoticeProblem(r, notice, A, AFTER)).toBeNull()
    expect(expiryNoticeProblem(r, notice, B, AFTER)).toContain('only https://a.test/u/a')
    expect(expiryNoticeProblem(r, notice, A, NOW)).toContain('not reached its end')
    expect(expiryNoticeProblem(r, { ...notice, endTime: NOW }, A, AFTER)).toContain('is not the version\'s')
    expect(expiryNoticeProblem(r, { ...notice, id: 'https://a.test/o/9' }, A, AFTER)).toContain('not the version in force')
  })
})

describe('pool deadline', () => {
  const pool = (poolStatus: FundingPool['poolStatus'], endTime?: string): FundingPool => ({
    id: 'https://a.test/o/p', type: ['Page', 'ioo:FundingPool', 'vf:Proposal'], attributedTo: A, name: 'P', summary: 'S', url: 'https://a.test/o/p',
    beneficiary: { name: 'X', url: 'https://x.test' }, goal: { type: 'MonetaryAmount', currency: 'EUR', value: '10.00' }, period: 'once', poolStatus,
    pledged: [{ type: 'MonetaryAmount', currency: 'EUR', value: '10.00' }], received: [{ type: 'MonetaryAmount', currency: 'EUR', value: '0.00' }],
    ...(endTime ? { endTime } : {})
  })

  it('closes open and funded pools past their deadline, keeping their totals; nothing else', () => {
    expect(isPastDeadline(pool('open', END), AFTER)).toBe(true)
    expect(isPastDeadline(pool('funded', END), END)).toBe(true)
    expect(isPastDeadline(pool('open', END), NOW)).toBe(false)
    expect(isPastDeadline(pool('open'), AFTER)).toBe(false)
    expect(isPastDeadline(pool('cancelled', END), AFTER)).toBe(false)
    expect(isPastDeadline(pool('closed', END), AFTER)).toBe(false)
    const closed = closeAtDeadline(pool('funded', END), AFTER)
    expect(closed).toMatchObject({ poolStatus: 'closed', updated: AFTER, pledged: [{ value: '10.00' }] })
    expect(() => closeAtDeadline(closed, AFTER)).toThrow('closed')
  })
})

describe('co-op profile edits', () => {
  const HUB = 'https://hub.test'
  const profile = { username: 'alpha', name: 'Alpha', summary: 'Files', url: 'https://alpha.test', icon: 'https://alpha.test/i.png', followPolicy: 'automatic' as const, location: { name: 'Lyon', country: 'FR', latitude: 45.76, longitude: 4.84 }, languages: ['fr'] }

  it('reads back the profile an actor was built from', () => {
    const doc = buildCoopActor(HUB, profile, 'PEM')
    expect(coopProfileOf(doc, 'automatic')).toEqual(profile)
    expect(coopProfileOf(buildCoopActor(HUB, { username: 'beta', name: 'Beta', followPolicy: 'approval' }, 'PEM'), 'approval'))
      .toEqual({ username: 'beta', name: 'Beta', followPolicy: 'approval' })
  })

  it('changes the fields given, removes what is null or empty, keeps the rest', () => {
    expect(applyProfilePatch(profile, { name: 'Alpha Cloud', icon: null, location: null, summary: ' ', languages: [] }))
      .toEqual({ username: 'alpha', name: 'Alpha Cloud', url: 'https://alpha.test', followPolicy: 'automatic' })
    expect(applyProfilePatch(profile, { followPolicy: 'approval', location: { country: 'BE' } }))
      .toMatchObject({ name: 'Alpha', followPolicy: 'approval', location: { country: 'BE' }, languages: ['fr'] })
  })

  it('rebuilds the actor with the same id, key, published date and unknown extras; derived fields follow the profile', () => {
    const before: Record<string, unknown> = { ...buildCoopActor(HUB, profile, 'PEM'), published: '2025-01-01T00:00:00.000Z', assertionMethod: [{ id: 'x' }] }
    const after = rebuildCoopActor(HUB, before, applyProfilePatch(profile, { url: null, name: 'New' }), NOW)
    expect(after).toMatchObject({ id: before.id, publicKey: before.publicKey, published: '2025-01-01T00:00:00.000Z', updated: NOW, name: 'New', url: before.id, assertionMethod: [{ id: 'x' }] })
    expect(after.attachment).toBeUndefined()
    expect(after).toMatchObject({ services: `${HUB}/u/alpha/services`, fundingPools: `${HUB}/u/alpha/pools`, agreements: `${HUB}/u/alpha/agreements` })
  })
})
