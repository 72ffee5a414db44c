import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer } from '../helpers/fake-peer'
import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'
import { postRaw, servePeerActor, signedHeaders, type PeerActor } from '../helpers/peer-actors'

/**
 * A co-op's followers are resolved into deliveries in pages (here two followers a page). The hub
 * is SIGKILLed right after the first page of a publish's audience was queued, and restarted: it
 * resumes at the recorded page, and every inbox receives exactly one copy — a shared inbox named
 * by followers on several pages too. The followers and outbox collections answer the count kept
 * with their rows, which stays right across follows, an unfollow and a crash between them.
 */
describe('paged audience resolution (SIGKILL between pages) and kept collection counts', () => {
  const AS = 'https://www.w3.org/ns/activitystreams'
  const PAGE = { HUB_AUDIENCE_PAGE_SIZE: '2' }
  let hub: HubProcess
  let shared: FakePeer // one server whose actors name a shared inbox
  let own: FakePeer // one server whose actors have only their own inboxes
  let coop = { id: '', token: '' }
  const followers: PeerActor[] = []

  beforeAll(async () => {
    hub = await startHubProcess({ env: PAGE })
    shared = await new FakePeer().start()
    own = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await shared?.stop()
    await own?.stop()
  })

  const inbox = (): string => `${hub.url}/u/teller/inbox`
  const followersIri = (): string => `${hub.url}/u/teller/followers`
  const outboxIri = (): string => `${hub.url}/u/teller/outbox`
  const send = async (actor: PeerActor, doc: Record<string, unknown>): Promise<void> => {
    const body = JSON.stringify({ '@context': AS, ...doc })
    expect((await postRaw(inbox(), body, signedHeaders(actor, inbox(), body, { style: 'rfc9421' }))).status).toBe(202)
  }
  const follow = async (actor: PeerActor): Promise<void> => {
    await send(actor, { id: `${actor.id}/follows/teller`, type: 'Follow', actor: actor.id, object: coop.id })
  }
  const accepts = (): number => [...shared.received, ...own.received].filter(r => JSON.parse(r.body).type === 'Accept').length
  /** Reads the hub's database (read-only; the hub may be running). */
  const onDisk = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(path.join(hub.dataDir, 'hub.sqlite'), { readonly: true })
    try { return read(db) } finally { db.close() }
  }
  const count = (db: Database.Database, sql: string, ...args: unknown[]): number => (db.prepare(sql).get(...args) as { n: number }).n
  const queuesEmpty = async (): Promise<true | undefined> =>
    onDisk(db => count(db, 'SELECT COUNT(*) AS n FROM deliveries') + count(db, 'SELECT COUNT(*) AS n FROM outbox_resolutions')) === 0 ? true : undefined
  const members = (collection: string): number =>
    onDisk(db => count(db, 'SELECT COUNT(*) AS n FROM stream_collections WHERE collection = ?', collection))
  const totalItems = async (collection: string): Promise<number> => (await getActivityJson(collection)).totalItems

  it('resumes at the recorded page after a SIGKILL; every inbox receives exactly one copy', async () => {
    coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'teller', name: 'Teller' })).json
    // Interleaved, so that the shared inbox is named on every page: a1 b1 | a2 b2 | a3 b3 | b4
    const names = ['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'b4']
    for (const name of names) {
      const onShared = name.startsWith('a')
      const actor = servePeerActor(onShared ? shared : own, name, { key: 'ed25519-pem', sharedInbox: onShared })
      followers.push(actor)
      await follow(actor)
      // One at a time: the followers collection keeps them in this order.
      await eventually(async () => accepts() === followers.length ? true : undefined, `the Accept of ${name}`)
    }
    await eventually(queuesEmpty, 'the queues to empty after the follows')

    // The same data, with the crash point armed: the hub dies once the first page is queued.
    const { dataDir, port, adminToken } = hub
    await hub.stop()
    hub = await startHubProcess({ dataDir, port, adminToken, env: { ...PAGE, HUB_TEST_KILL_AT: 'outbox-page-queued' } })
    await api(hub, 'PUT', '/api/v1/coops/teller/services/files', coop.token, { name: 'Teller Files', category: 'file-hosting', url: 'https://files.teller.example', access: 'public' })
      .catch(() => 'connection lost') // the hub may die before or after it answered
    await eventually(async () => await fetch(`${hub.url}/nodeinfo/2.1`).then(() => undefined, () => true), 'the hub to kill itself')
    await hub.kill() // waits for the exit

    const serviceId = `${hub.url}/u/teller/services/files`
    const page = onDisk(db => {
      const [, second] = (db.prepare('SELECT seq FROM stream_collections WHERE collection = ? ORDER BY seq').all(followersIri()) as Array<{ seq: number }>)
      const job = db.prepare('SELECT id, audience, cursor_position AS position, cursor_seq AS seq FROM outbox_resolutions').all() as Array<{ id: number, audience: string, position: number, seq: number }>
      return {
        jobs: job.length,
        onFollowers: JSON.parse(job[0].audience)[job[0].position] === followersIri(),
        afterSecondFollower: job[0].seq === second.seq,
        targets: (db.prepare('SELECT address FROM outbox_resolution_targets WHERE job_id = ? ORDER BY address').all(job[0].id) as Array<{ address: string }>).map(r => r.address),
        deliveries: count(db, 'SELECT COUNT(*) AS n FROM deliveries')
      }
    })
    // One page of two followers (a1 on the shared inbox, b1) queued, recorded; the rest not.
    expect(page).toEqual({ jobs: 1, onFollowers: true, afterSecondFollower: true, targets: [`${shared.origin}/inbox`, followers[1].inbox].sort(), deliveries: 2 })

    hub = await startHubProcess({ dataDir, port, adminToken, env: PAGE })
    const copies = (peer: FakePeer): Record<string, number> => {
      const byPath: Record<string, number> = {}
      for (const r of peer.received) {
        const doc = JSON.parse(r.body)
        if (doc.type === 'Create' && doc.object?.id === serviceId) byPath[r.path] = (byPath[r.path] ?? 0) + 1
      }
      return byPath
    }
    await eventually(async () => Object.keys(copies(own)).length === 4 ? true : undefined, 'the Create to reach every inbox after the restart', 20_000)
    await eventually(queuesEmpty, 'the queues to empty')
    // A little longer: a second copy (a page queued twice) would have arrived by now.
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(copies(shared)).toEqual({ '/inbox': 1 })
    expect(copies(own)).toEqual({ '/users/b1/inbox': 1, '/users/b2/inbox': 1, '/users/b3/inbox': 1, '/users/b4/inbox': 1 })
    expect(onDisk(db => count(db, 'SELECT COUNT(*) AS n FROM outbox_resolution_targets'))).toBe(0) // removed with the job
  })

  it('answers totalItems kept with the rows: right after follows, an unfollow and a crash between them, and read, not counted', async () => {
    expect(await totalItems(followersIri())).toBe(7)
    expect(members(followersIri())).toBe(7)
    expect(await totalItems(outboxIri())).toBe(members(outboxIri()))

    const b4 = followers[6]
    await send(b4, { id: `${b4.id}/undo/1`, type: 'Undo', actor: b4.id, object: `${b4.id}/follows/teller` })
    await eventually(async () => members(followersIri()) === 6 ? true : undefined, 'the unfollow to be stored')
    await hub.kill() // a crash between the unfollow and the next follow
    hub = await startHubProcess({ dataDir: hub.dataDir, port: hub.port, adminToken: hub.adminToken, env: PAGE })
    const b5 = servePeerActor(own, 'b5', { key: 'ed25519-pem' })
    const acceptsBefore = accepts()
    await follow(b5)
    await eventually(async () => members(followersIri()) === 7 ? true : undefined, 'the new follow to be accepted')
    expect(await totalItems(followersIri())).toBe(7)
    // The follow's Accept joins the outbox after the follower joins the followers: compare once it was delivered.
    await eventually(async () => accepts() > acceptsBefore ? true : undefined, 'the Accept of the new follow')
    await eventually(queuesEmpty, 'the queues to empty')
    expect(await totalItems(outboxIri())).toBe(members(outboxIri()))

    // The count answered is the one kept: a wrong value written while the hub is down is what
    // it answers (a counting scan would answer 7).
    const { dataDir, port, adminToken } = hub
    await hub.stop()
    const db = new Database(path.join(dataDir, 'hub.sqlite'))
    db.prepare('UPDATE collection_counts SET total = 4242 WHERE collection = ?').run(followersIri())
    db.close()
    hub = await startHubProcess({ dataDir, port, adminToken, env: PAGE })
    expect(await totalItems(followersIri())).toBe(4242)
  })
})
