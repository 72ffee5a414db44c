import { PostgresDatabase } from '../../src/store/postgres/postgres-database'
import { notifyWakeup, PostgresWakeups, WAKEUP_CHANNELS } from '../../src/store/postgres/postgres-wakeups'
import { PostgresStore } from '../../src/store/postgres/postgres.store'
import { postgresRepositories } from '../helpers/postgres-repositories'
import { usePostgresTestStore } from '../helpers/postgres-test-store'

const pg = usePostgresTestStore()

/** Counts the channel's notifications in `counter`. */
async function countWakes (wakeups: PostgresWakeups, channel: typeof WAKEUP_CHANNELS[keyof typeof WAKEUP_CHANNELS], counter: { n: number }): Promise<void> {
  await wakeups.listen(channel, () => { counter.n++ })
}

/** Waits until `check` holds; fails after `ms`. */
async function until (check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('not woken in time')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('PostgreSQL wake-ups between processes', () => {
  let wakeups: PostgresWakeups
  beforeEach(() => { wakeups = new PostgresWakeups(pg.url()) })
  afterEach(async () => { await wakeups.close() })

  it('wakes a listening process when another queues deliveries or publishes, and for nothing else', async () => {
    const deliveries = { n: 0 }
    const outbox = { n: 0 }
    await countWakes(wakeups, WAKEUP_CHANNELS.deliveries, deliveries)
    await countWakes(wakeups, WAKEUP_CHANNELS.outbox, outbox)
    const other = postgresRepositories(pg.connect(), 'host-b:2:b')
    await other.deliveryControl.enqueue('https://hub.test/u/alpha', '{}', ['https://a.example/inbox'], null)
    await until(() => deliveries.n === 1)
    await other.outbox.publish({ resolution: { activityId: 'https://hub.test/s/1', actorId: 'https://hub.test/u/alpha', body: '{}', audience: [], orderingKey: null } })
    await until(() => outbox.n === 1)
    await other.domainBlocks.add({ domain: 'quiet.example', reason: '', createdAt: new Date().toISOString() })
    await new Promise(resolve => setTimeout(resolve, 200))
    expect({ deliveries: deliveries.n, outbox: outbox.n }).toEqual({ deliveries: 1, outbox: 1 })
  })

  it('sends a notification made in a transaction at commit, and none on rollback', async () => {
    const deliveries = { n: 0 }
    await countWakes(wakeups, WAKEUP_CHANNELS.deliveries, deliveries)
    const db: PostgresDatabase = pg.connect()
    await expect(db.transaction(async tx => {
      await notifyWakeup(tx, WAKEUP_CHANNELS.deliveries)
      throw new Error('changed my mind')
    })).rejects.toThrow('changed my mind')
    await db.transaction(async tx => { await notifyWakeup(tx, WAKEUP_CHANNELS.deliveries) })
    await until(() => deliveries.n === 1)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(deliveries.n).toBe(1)
  })

  it('listens again after its connection was cut', async () => {
    const quick = new PostgresWakeups(pg.url(), 50)
    try {
      const deliveries = { n: 0 }
      await countWakes(quick, WAKEUP_CHANNELS.deliveries, deliveries)
      const cut = await pg.db().query("SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = 'ioocloud-hub wake-ups' AND datname = current_database()")
      expect(cut.rows).toEqual([{ done: true }])
      // Once it is back, a notification reaches it again.
      await until(() => { void notifyWakeup(pg.db(), WAKEUP_CHANNELS.deliveries); return deliveries.n > 0 }, 5_000)
    } finally {
      await quick.close()
    }
  })

  it('leaves no listening connection behind when closed while its connection is still being opened', async () => {
    const closing = new PostgresWakeups(pg.url())
    try {
      const listening = closing.listen(WAKEUP_CHANNELS.deliveries, () => {})
      await closing.close()
      await listening
      // A connection that came up after the close ends on its own; the server drops its backend a
      // moment after the client has gone, so the count is read until it is zero or 5 s have passed.
      const countOpen = async (): Promise<Array<{ n: number }>> => (await pg.db().query<{ n: number }>(
        "SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ioocloud-hub wake-ups' AND datname = current_database()")).rows
      let open = await countOpen()
      for (const deadline = Date.now() + 5_000; open[0]?.n !== 0 && Date.now() < deadline; open = await countOpen()) {
        await new Promise(resolve => setTimeout(resolve, 50))
      }
      expect(open).toEqual([{ n: 0 }])
    } finally {
      await closing.close()
    }
  })

  it('wakes the store\'s listeners by topic, from another process, and stops when the store closes', async () => {
    // Its own pool: closing the store ends it.
    const store = new PostgresStore(new PostgresDatabase(pg.url()))
    expect(store.wakeups.acrossProcesses).toBe(true)
    const deliveries = { n: 0 }
    const outbox = { n: 0 }
    await store.wakeups.listen('deliveries', () => { deliveries.n++ })
    await store.wakeups.listen('outbox', () => { outbox.n++ })
    const other = postgresRepositories(pg.connect(), 'host-b:2:b')
    await other.deliveryControl.enqueue('https://hub.test/u/alpha', '{}', ['https://a.example/inbox'], null)
    await until(() => deliveries.n === 1)
    await other.outbox.publish({ resolution: { activityId: 'https://hub.test/s/2', actorId: 'https://hub.test/u/alpha', body: '{}', audience: [], orderingKey: null } })
    await until(() => outbox.n === 1)
    expect(deliveries.n).toBe(1)

    await store.close()
    const listening = await pg.db().query("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ioocloud-hub wake-ups' AND datname = current_database()")
    expect(listening.rows).toEqual([{ n: 0 }])
    await other.deliveryControl.enqueue('https://hub.test/u/alpha', '{}', ['https://b.example/inbox'], null)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect({ deliveries: deliveries.n, outbox: outbox.n }).toEqual({ deliveries: 1, outbox: 1 })
  })
})
