/**
 * On SQLite the deliveries a publish queues share one copy of its body (migration 17): the rows
 * hold an empty body and name the activity, each claim answers the whole body, and the copy goes
 * with the last delivery that names it.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'

const ACTOR = 'https://hub.test/u/alpha'
const ACTIVITY = `${ACTOR}/activities/1`
const BODY = JSON.stringify({ id: ACTIVITY, type: 'Update', actor: ACTOR, content: 'x'.repeat(1000) })
const INBOXES = ['https://a.test/inbox', 'https://b.test/inbox', 'https://c.test/inbox']

describe('the body shared by a publish\'s deliveries (SQLite)', () => {
  let dir: string
  let store: SqliteStore
  const rows = <R>(sql: string): R[] => {
    const db = new Database(path.join(dir, 'hub.sqlite'), { readonly: true })
    try { return db.prepare(sql).all() as R[] } finally { db.close() }
  }
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bodies-'))
    store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  })
  afterEach(async () => {
    await store.shutdown()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const queue = async (): Promise<void> => {
    await store.outbox.publish({ resolution: { activityId: ACTIVITY, actorId: ACTOR, body: BODY, audience: [], orderingKey: null } })
    const [job] = await store.outbox.claimResolutions(10)
    expect(await store.outbox.finishResolution(job.id, INBOXES)).toBe(3)
  }

  it('keeps the body once, answers it whole with every claimed delivery, and drops it with the last delivery', async () => {
    await queue()
    expect(rows<{ body: string }>('SELECT body FROM deliveries').map(r => r.body)).toEqual(['', '', ''])
    expect(rows<{ activity_id: string, body: string }>('SELECT activity_id, body FROM delivery_bodies')).toEqual([{ activity_id: ACTIVITY, body: BODY }])

    const claimed = (await store.deliveryClaim(10)).deliveries
    expect(claimed.map(d => [d.address, d.body]).sort()).toEqual(INBOXES.map(a => [a, BODY]))

    await store.deliveryComplete(claimed[0].id)
    await store.deliveryFail(claimed[1].id, 'gone')
    expect(rows<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_bodies')[0].n).toBe(1)
    await store.deliveryComplete(claimed[2].id)
    expect(rows<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_bodies')[0].n).toBe(0)
  })

  it('keeps the body of a page queued after every delivery of the page before it was done', async () => {
    await store.outbox.publish({ resolution: { activityId: ACTIVITY, actorId: ACTOR, body: BODY, audience: [], orderingKey: null } })
    const [job] = await store.outbox.claimResolutions(10)
    await store.outbox.queuePage(job.id, [INBOXES[0]], { position: 0, seq: 1 })
    const first = (await store.deliveryClaim(10)).deliveries
    await store.deliveryComplete(first.map(d => d.id))
    expect(rows<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_bodies')[0].n).toBe(0)
    await store.outbox.queuePage(job.id, [INBOXES[1]], { position: 0, seq: 2 })
    expect((await store.deliveryClaim(10)).deliveries.map(d => [d.address, d.body])).toEqual([[INBOXES[1], BODY]])
  })

  it('leaves a delivery queued one at a time with its own body', async () => {
    await store.deliveryEnqueue(ACTOR, BODY, INBOXES[0])
    expect(rows<{ body: string }>('SELECT body FROM deliveries').map(r => r.body)).toEqual([BODY])
    expect((await store.deliveryClaim(10)).deliveries.map(d => d.body)).toEqual([BODY])
  })
})
