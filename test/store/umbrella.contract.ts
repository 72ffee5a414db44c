/** The UmbrellaRepository contract: every adapter must pass it. */
import type { MembershipRecord, UmbrellaRepository } from '../../src/store/ports/umbrella.port'

const UMBRELLA = 'https://a.test/u/net'

/** A membership of `member` in the test umbrella. */
function membership (member: string, extra: Partial<MembershipRecord> = {}): MembershipRecord {
  return { umbrellaActorId: UMBRELLA, memberActorId: member, state: 'pending', joinActivityId: `${member}#join`, updatedAt: '2026-01-01T00:00:00.000Z', ...extra }
}

/** Registers the contract for one adapter; `open` gives a fresh repository, `close` releases it. */
export function describeUmbrellaRepositoryContract (name: string, open: () => UmbrellaRepository, close: () => void): void {
  describe(`UmbrellaRepository contract: ${name}`, () => {
    let repo: UmbrellaRepository
    beforeEach(() => { repo = open() })
    afterEach(() => close())

    it('saves umbrellas once per username, finds them by username or actor, and changes the policy', async () => {
      await repo.saveUmbrella({ username: 'net', actorId: UMBRELLA, membershipPolicy: 'approval', createdAt: '2026-01-01T00:00:00.000Z' })
      await repo.saveUmbrella({ username: 'wide', actorId: 'https://a.test/u/wide', membershipPolicy: 'open', createdAt: '2026-01-02T00:00:00.000Z' })
      await expect(repo.saveUmbrella({ username: 'net', actorId: 'https://a.test/u/other', membershipPolicy: 'open', createdAt: '2026-01-03T00:00:00.000Z' })).rejects.toThrow(/umbrella named "net" .* exists already/)
      await expect(repo.saveUmbrella({ username: 'other', actorId: UMBRELLA, membershipPolicy: 'open', createdAt: '2026-01-03T00:00:00.000Z' })).rejects.toThrow(/exists already/)
      expect((await repo.getUmbrella('net'))?.membershipPolicy).toBe('approval')
      expect((await repo.getUmbrellaByActorId('https://a.test/u/wide'))?.username).toBe('wide')
      expect(await repo.getUmbrella('nobody')).toBeNull()
      expect(await repo.setMembershipPolicy('net', 'vote')).toBe(true)
      expect(await repo.setMembershipPolicy('nobody', 'vote')).toBe(false)
      expect((await repo.listUmbrellas()).map(u => `${u.username}:${u.membershipPolicy}`)).toEqual(['net:vote', 'wide:open'])
    })

    it('keeps one membership per (umbrella, member), found by its Join, and lists current members with their hubs', async () => {
      await repo.saveMembership(membership('https://b.test/u/beta'))
      await repo.saveMembership(membership('https://c.test/u/gamma', { updatedAt: '2026-01-02T00:00:00.000Z' }))
      await repo.saveMembership(membership('https://b.test/u/beta', { state: 'member', updatedAt: '2026-01-03T00:00:00.000Z' }))
      await repo.saveMembership({ ...membership('https://b.test/u/beta'), umbrellaActorId: 'https://a.test/u/wide', state: 'refused' })
      expect((await repo.getMembershipByJoin('https://c.test/u/gamma#join'))?.state).toBe('pending')
      expect(await repo.getMembershipByJoin('https://nowhere.test/join')).toBeNull()
      expect(await repo.isMember(UMBRELLA, 'https://b.test/u/beta')).toBe(true)
      expect(await repo.isMember(UMBRELLA, 'https://c.test/u/gamma')).toBe(false)
      expect(await repo.isMember('https://a.test/u/wide', 'https://b.test/u/beta')).toBe(false)
      expect(await repo.listMembers(UMBRELLA)).toEqual([{ actorId: 'https://b.test/u/beta', hub: 'https://b.test', since: '2026-01-03T00:00:00.000Z' }])
      expect((await repo.listMemberships({ umbrellaActorId: UMBRELLA })).map(m => m.memberActorId)).toEqual(['https://c.test/u/gamma', 'https://b.test/u/beta'])
      expect((await repo.listMemberships({ memberActorId: 'https://b.test/u/beta' })).map(m => `${m.umbrellaActorId} ${m.state}`))
        .toEqual(['https://a.test/u/wide refused', `${UMBRELLA} member`])
      expect((await repo.listMemberships({ umbrellaActorId: UMBRELLA, state: 'pending' })).map(m => m.memberActorId)).toEqual(['https://c.test/u/gamma'])
      await repo.saveMembership(membership('https://b.test/u/beta', { state: 'left', joinActivityId: null, updatedAt: '2026-01-04T00:00:00.000Z' }))
      expect(await repo.listMembers(UMBRELLA)).toEqual([])
      expect(await repo.getMembership(UMBRELLA, 'https://b.test/u/beta')).toEqual(membership('https://b.test/u/beta', { state: 'left', joinActivityId: null, updatedAt: '2026-01-04T00:00:00.000Z' }))
    })
  })
}
