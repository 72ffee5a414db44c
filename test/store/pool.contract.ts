/** The PoolRepository contract: every adapter must pass it. */
import type { PledgeRecord, PoolRecord, PoolRepository } from '../../src/store/ports/pool.port'

const STEWARD = 'https://a.test/u/alpha'

/** A pool record with the given id. */
export function poolRecord (id: string, extra: Partial<PoolRecord> = {}): PoolRecord {
  return {
    id,
    stewardId: STEWARD,
    local: true,
    status: 'open',
    currency: 'EUR',
    object: {
      id, type: ['Page', 'ioo:FundingPool', 'vf:Proposal'], attributedTo: STEWARD, name: 'Pool', summary: 's', url: id,
      beneficiary: { name: 'Up', url: 'https://up.test' }, goal: { currency: 'EUR', value: '100.00' }, period: 'once',
      poolStatus: 'open', pledged: [{ currency: 'EUR', value: '0.00' }], received: [{ currency: 'EUR', value: '0.00' }]
    },
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra
  }
}

/** A pledge record for `poolId`. */
export function pledgeRecord (offerId: string, poolId: string, extra: Partial<PledgeRecord> = {}): PledgeRecord {
  return {
    offerId, pledgeId: null, poolId, pledgerId: 'https://b.test/u/beta', stewardId: STEWARD,
    amount: { type: 'MonetaryAmount', currency: 'EUR', value: '10.50' }, recurrence: 'once', state: 'offered', reason: null,
    stewardProcessed: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...extra
  }
}

/** Registers the contract for one adapter; `open` gives a fresh repository, `close` releases it. */
export function describePoolRepositoryContract (name: string, open: () => PoolRepository, close: () => void): void {
  describe(`PoolRepository contract: ${name}`, () => {
    let repo: PoolRepository
    beforeEach(() => { repo = open() })
    afterEach(() => close())

    it('saves, replaces, lists and deletes pools', async () => {
      await repo.savePool(poolRecord('https://a.test/o/p1'))
      await repo.savePool(poolRecord('https://b.test/o/p2', { local: false, stewardId: 'https://b.test/u/b', updatedAt: '2026-02-01T00:00:00.000Z' }))
      await repo.savePool(poolRecord('https://a.test/o/p1', { status: 'closed' }))
      expect((await repo.getPool('https://a.test/o/p1'))?.status).toBe('closed')
      expect((await repo.getPool('https://a.test/o/p1'))?.object.beneficiary.name).toBe('Up')
      expect((await repo.listPools()).map(p => p.id)).toEqual(['https://b.test/o/p2', 'https://a.test/o/p1'])
      expect((await repo.listPools({ local: true })).map(p => p.id)).toEqual(['https://a.test/o/p1'])
      expect((await repo.listPools({ stewardId: 'https://b.test/u/b' })).map(p => p.id)).toEqual(['https://b.test/o/p2'])
      expect(await repo.deletePool('https://a.test/o/p1')).toBe(true)
      expect(await repo.deletePool('https://a.test/o/p1')).toBe(false)
      expect(await repo.getPool('https://a.test/o/p1')).toBeNull()
    })

    it('keeps when a copy was refreshed and the latest change heard of it; a local pool has neither', async () => {
      const copy = poolRecord('https://a.test/pools/c', { local: false, refreshedAt: '2026-01-02T00:00:00.000Z' })
      await repo.savePool(copy)
      expect(await repo.getPool(copy.id)).toEqual(copy)
      await repo.notePoolChange(copy.id, '2026-01-03T00:00:00.000Z')
      // An earlier change does not move it back.
      await repo.notePoolChange(copy.id, '2026-01-01T00:00:00.000Z')
      expect((await repo.getPool(copy.id))?.changedAt).toBe('2026-01-03T00:00:00.000Z')
      // A refreshed copy saved without a change keeps the change heard of.
      await repo.savePool({ ...copy, refreshedAt: '2026-01-04T00:00:00.000Z' })
      expect(await repo.getPool(copy.id)).toEqual({ ...copy, refreshedAt: '2026-01-04T00:00:00.000Z', changedAt: '2026-01-03T00:00:00.000Z' })
      const own = poolRecord('https://a.test/pools/own')
      await repo.savePool(own)
      await repo.notePoolChange(own.id, '2026-01-03T00:00:00.000Z')
      expect(await repo.getPool(own.id)).toEqual(own)
    })

    it('finds pledges by offer and by pledge id, and lists them by pool and pledger', async () => {
      await repo.savePledge(pledgeRecord('https://b.test/s/1', 'https://a.test/o/p1'))
      await repo.savePledge(pledgeRecord('https://c.test/s/2', 'https://a.test/o/p1', { pledgerId: 'https://c.test/u/c', createdAt: '2026-01-02T00:00:00.000Z' }))
      await repo.savePledge(pledgeRecord('https://b.test/s/1', 'https://a.test/o/p1', { state: 'pledged', pledgeId: 'https://a.test/o/pl1', stewardProcessed: true }))
      const byId = await repo.getPledgeById('https://a.test/o/pl1')
      expect(byId).toMatchObject({ offerId: 'https://b.test/s/1', state: 'pledged', stewardProcessed: true, amount: { currency: 'EUR', value: '10.50' } })
      expect(await repo.getPledgeByOffer('https://b.test/s/1')).toEqual(byId)
      expect(await repo.getPledgeByOffer('https://x.test/s/none')).toBeNull()
      expect((await repo.listPledges({ poolId: 'https://a.test/o/p1' })).map(p => p.offerId)).toEqual(['https://b.test/s/1', 'https://c.test/s/2'])
      expect((await repo.listPledges({ pledgerId: 'https://c.test/u/c' })).map(p => p.offerId)).toEqual(['https://c.test/s/2'])
    })

    it('saves a pledge and its pool together', async () => {
      await repo.savePledgeAndPool(pledgeRecord('https://b.test/s/1', 'https://a.test/o/p1', { state: 'pledged' }), poolRecord('https://a.test/o/p1', { status: 'funded' }))
      expect((await repo.getPledgeByOffer('https://b.test/s/1'))?.state).toBe('pledged')
      expect((await repo.getPool('https://a.test/o/p1'))?.status).toBe('funded')
    })
  })
}
