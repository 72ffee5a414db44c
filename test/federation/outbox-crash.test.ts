import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer } from '../helpers/fake-peer'
import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'
import { postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * A publish is killed (SIGKILL, no shutdown code) right after it was stored and before any
 * delivery was queued: the hub started with HUB_TEST_KILL_AT=outbox-stored kills itself at that
 * point. After a restart the follower receives the activity exactly once and the service is
 * listed: the object, the activity, the listing and the job resolving its audience were stored
 * together.
 */
describe('transactional outbox (SIGKILL between storing and queueing a publish)', () => {
  const AS = 'https://www.w3.org/ns/activitystreams'
  let hub: HubProcess
  let peer: FakePeer

  beforeAll(async () => {
    hub = await startHubProcess()
    peer = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const queues = (): { deliveries: number, resolutions: number } => {
    const db = new Database(path.join(hub.dataDir, 'hub.sqlite'), { readonly: true })
    try {
      const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
      return { deliveries: count('deliveries'), resolutions: count('outbox_resolutions') }
    } finally {
      db.close()
    }
  }

  it('delivers the publish exactly once after the restart and lists the service', async () => {
    const coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'teller', name: 'Teller' })).json
    const follower = servePeerActor(peer, 'reader', { key: 'ed25519-pem' })
    const follow = JSON.stringify({ '@context': AS, id: `${follower.id}/follows/teller`, type: 'Follow', actor: follower.id, object: coop.id })
    const inbox = `${hub.url}/u/teller/inbox`
    expect((await postRaw(inbox, follow, signedHeaders(follower, inbox, follow, { style: 'rfc9421' }))).status).toBe(202)
    await eventually(async () => peer.received.some(r => JSON.parse(r.body).type === 'Accept') ? true : undefined, 'the Accept of the follow')

    // The same data, now with the crash point armed.
    const { dataDir, port, adminToken } = hub
    await hub.stop()
    hub = await startHubProcess({ dataDir, port, adminToken, env: { HUB_TEST_KILL_AT: 'outbox-stored' } })
    const put = await api(hub, 'PUT', '/api/v1/coops/teller/services/files', coop.token, { name: 'Teller Files', category: 'file-hosting', url: 'https://files.teller.example', access: 'public' })
      .then(r => r.status, () => 'connection lost')
    expect(put).toBe('connection lost') // the hub died in the middle of the publish
    await hub.kill() // waits for the exit
    expect(queues()).toEqual({ deliveries: 0, resolutions: 1 })

    hub = await startHubProcess({ dataDir, port, adminToken })
    const serviceId = `${hub.url}/u/teller/services/files`
    const creates = (): number => peer.received.filter(r => {
      const doc = JSON.parse(r.body)
      return doc.type === 'Create' && doc.object?.id === serviceId
    }).length
    await eventually(async () => creates() > 0 ? true : undefined, 'the Create to reach the follower after the restart', 20_000)
    await eventually(async () => { const q = queues(); return q.deliveries === 0 && q.resolutions === 0 ? true : undefined }, 'the queues to empty')
    // A little longer: a second copy (the job resolved twice) would have arrived by now.
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(creates()).toBe(1)
    const listed = (await api(hub, 'GET', '/api/v1/services')).json.items as Array<{ id: string, name: string }>
    expect(listed.map(s => [s.id, s.name])).toEqual([[serviceId, 'Teller Files']])
  })
})
