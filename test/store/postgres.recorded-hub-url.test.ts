/**
 * Hub processes starting at the same moment on one PostgreSQL database with different HUB_URLs:
 * the first to record its URL keeps it and every other start is refused, never two processes
 * each believing their own URL was recorded.
 */
import { PostgresStore } from '../../src/store/postgres/postgres.store'
import { claimHubUrl, recordedHubUrl, HUB_URL_SETTING } from '../../src/store/recorded-hub-url'
import { usePostgresTestStore } from '../helpers/postgres-test-store'

const pg = usePostgresTestStore()

describe('the recorded HUB_URL on a shared PostgreSQL database', () => {
  it('is claimed by exactly one of several processes starting at once with different URLs', async () => {
    const stores = [pg.db(), pg.connect(), pg.connect()].map(db => new PostgresStore(db))
    const urls = ['https://a.example.coop', 'https://b.example.coop', 'https://c.example.coop']
    // Several rounds: a read-then-write claim lets two through in most of them.
    for (let round = 0; round < 5; round++) {
      await pg.db().query('DELETE FROM settings WHERE key = $1', [HUB_URL_SETTING])
      const outcomes = await Promise.allSettled(stores.map(async (store, i) => await claimHubUrl(store, urls[i])))
      const winners = urls.filter((_url, i) => outcomes[i].status === 'fulfilled')
      expect(winners).toHaveLength(1)
      expect(await recordedHubUrl(stores[0])).toBe(winners[0])
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'rejected') expect(String(outcome.reason)).toContain(`HUB_URL is ${urls[i]} (set, or derived from PORT), but this hub's database (DATA_DIR) was set up for ${winners[0]}`)
      }
    }
  })
})
