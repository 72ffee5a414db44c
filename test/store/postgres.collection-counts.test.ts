/**
 * A collection's kept count on PostgreSQL is written when the transaction that changes its
 * members commits: two transactions adding to one collection (two hub processes receiving for one
 * inbox) do not wait for each other until then, and the count still moves with its members.
 */
import { Client } from 'pg'
import { usePostgresTestStore } from '../helpers/postgres-test-store'

const pg = usePostgresTestStore()
const INBOX = 'https://h.test/u/coop/inbox'

describe('kept collection counts on PostgreSQL', () => {
  const clients: Client[] = []
  const client = async (): Promise<Client> => {
    const c = new Client({ connectionString: pg.url() })
    await c.connect()
    clients.push(c)
    return c
  }
  afterEach(async () => { await Promise.all(clients.splice(0).map(async c => await c.end())) })

  const addActivity = async (c: Client, id: string): Promise<void> => {
    const seq = (await c.query<{ seq: string }>("INSERT INTO streams (id, doc) VALUES ($1, '{}') RETURNING seq", [id])).rows[0].seq
    await c.query('INSERT INTO stream_collections (collection, seq) VALUES ($1, $2)', [INBOX, seq])
  }
  const count = async (): Promise<number | undefined> =>
    (await pg.db().query<{ total: number }>('SELECT total FROM collection_counts WHERE collection = $1', [INBOX])).rows[0]?.total

  it('lets a second transaction add to a collection and commit while the first is still open', async () => {
    const first = await client()
    const second = await client()
    await first.query('BEGIN')
    await addActivity(first, 'https://a.test/activities/1')
    // Waiting for the first transaction's lock on the count would run into this time-out.
    await second.query("SET statement_timeout = '3s'")
    await second.query('BEGIN')
    await addActivity(second, 'https://b.test/activities/1')
    await second.query('COMMIT')
    expect(await count()).toBe(1)
    await first.query('COMMIT')
    expect(await count()).toBe(2)
  })

  it('leaves the count as it was when the transaction that added members rolls back', async () => {
    const c = await client()
    await addActivity(c, 'https://a.test/activities/1')
    await c.query('BEGIN')
    await addActivity(c, 'https://a.test/activities/2')
    await c.query('DELETE FROM streams WHERE id = $1', ['https://a.test/activities/1'])
    await c.query('ROLLBACK')
    expect(await count()).toBe(1)
    await c.query('DELETE FROM streams WHERE id = $1', ['https://a.test/activities/1'])
    expect(await count()).toBe(0)
    expect((await pg.db().query<{ n: number }>('SELECT count(*)::int AS n FROM stream_collections WHERE collection = $1', [INBOX])).rows[0].n).toBe(0)
  })
})
