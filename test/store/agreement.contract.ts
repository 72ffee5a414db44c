/** The AgreementRepository contract: every adapter must pass it. */
import { buildAgreementVersion, decide, proposeAgreement } from '../../src/domain/member-exchange-agreement'
import type { AgreementRepository } from '../../src/store/ports/agreement.port'

const A = 'https://a.test/u/a'
const B = 'https://b.test/u/b'

function agreement (id: string, parties = [A, B]) {
  const doc = buildAgreementVersion({
    id, author: A, parties, name: 'X', terms: 'T', services: [{ party: A, service: 'https://a.test/u/a/services/f' }],
    startTime: '2026-01-01T00:00:00.000Z', status: 'proposed', authorFollowers: null, now: '2026-01-01T00:00:00.000Z'
  })
  return proposeAgreement(doc, `${id}-offer`, '2026-01-01T00:00:00.000Z')
}

/** Registers the contract for one adapter; `open` gives a fresh repository, `close` releases it. */
export function describeAgreementRepositoryContract (name: string, open: () => AgreementRepository, close: () => void): void {
  describe(`AgreementRepository contract: ${name}`, () => {
    let repo: AgreementRepository
    beforeEach(() => { repo = open() })
    afterEach(() => close())

    it('stores the whole agreement and reads it back equal', async () => {
      const record = agreement('https://a.test/o/1')
      await repo.saveAgreement(record)
      expect(await repo.getAgreement('https://a.test/o/1')).toEqual(record)
      expect(await repo.getAgreement('https://a.test/o/none')).toBeNull()
    })

    it('replaces it on save, decisions included, and finds it by version or activity id', async () => {
      const record = agreement('https://a.test/o/1')
      await repo.saveAgreement(record)
      const accepted = decide(record, 'https://a.test/o/1-offer', B, 'accepted', '2026-01-02T00:00:00.000Z')
      await repo.saveAgreement(accepted)
      const stored = await repo.getAgreement('https://a.test/o/1')
      expect(stored?.status).toBe('active')
      expect(stored?.versions[0].decisions).toEqual({ [A]: 'accepted', [B]: 'accepted' })
      expect((await repo.findByVersionOrActivity('https://a.test/o/1-offer'))?.id).toBe('https://a.test/o/1')
      expect((await repo.findByVersionOrActivity('https://a.test/o/1'))?.id).toBe('https://a.test/o/1')
      expect(await repo.findByVersionOrActivity('https://a.test/s/unknown')).toBeNull()
    })

    it('lists newest first, or only those an actor is a party to', async () => {
      await repo.saveAgreement(agreement('https://a.test/o/1'))
      await repo.saveAgreement({ ...agreement('https://a.test/o/2', [A, 'https://c.test/u/c']), updatedAt: '2026-03-01T00:00:00.000Z' })
      expect((await repo.listAgreements()).map(a => a.id)).toEqual(['https://a.test/o/2', 'https://a.test/o/1'])
      expect((await repo.listAgreements({ party: B })).map(a => a.id)).toEqual(['https://a.test/o/1'])
      expect((await repo.listAgreements({ party: 'https://c.test/u/c' }))[0].parties).toEqual([A, 'https://c.test/u/c'])
    })
  })
}
