import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * Outgoing deliveries against peers that misbehave on purpose: Retry-After is honoured, a gone
 * inbox (410) ends the delivery after one try and loses its follower, Create/Update/Delete of
 * one object arrive in that order even when the Create had to be retried, and followers sharing
 * a shared inbox get one delivery. The admin sees it all per host.
 */
describe('delivery behaviour', () => {
  let hub: TestHub

  beforeAll(async () => { hub = await startTestHub() })
  afterAll(async () => { await hub?.stop() })

  async function coop (username: string): Promise<{ id: string, token: string }> {
    return (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: username })).json
  }

  /** `actor` follows the co-op; resolves once the Accept reached the actor's (shared) inbox. */
  async function follow (peer: FakePeer, actor: PeerActor, coopId: string, username: string): Promise<void> {
    const doc = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/follows/${username}`, type: 'Follow', actor: actor.id, object: coopId }
    const body = JSON.stringify(doc)
    const url = `${hub.url}/u/${username}/inbox`
    expect((await postRaw(url, body, signedHeaders(actor, url, body, { style: 'cavage' }))).status).toBe(202)
    const inbox = new URL(actor.sharedInbox ?? actor.inbox).pathname
    await eventually(async () => peer.postsTo(inbox).some(r => JSON.parse(r.body).type === 'Accept' && JSON.parse(r.body).object?.id === doc.id) ? true : undefined, `the Accept to reach ${actor.id}`)
  }

  const publish = async (username: string, token: string, key: string, name: string): Promise<string> =>
    (await api(hub, 'PUT', `/api/v1/coops/${username}/services/${key}`, token, { name, category: 'file-hosting', url: `https://${key}.example`, access: 'public' })).json.id

  const postsOf = (peer: FakePeer, path: string, objectId: string): Array<{ type: string, at: number }> =>
    peer.postsTo(path).map(r => ({ doc: JSON.parse(r.body), at: r.at }))
      .filter(({ doc }) => (typeof doc.object === 'string' ? doc.object : doc.object?.id) === objectId)
      .map(({ doc, at }) => ({ type: doc.type, at }))

  it('waits for Retry-After after a 503 and then delivers', async () => {
    const peer = await new FakePeer().start()
    try {
      const rita = servePeerActor(peer, 'rita')
      const c = await coop('retrying')
      await follow(peer, rita, c.id, 'retrying')
      peer.answerPosts('/users/rita/inbox', [{ status: 503, headers: { 'retry-after': '2' } }])
      const serviceId = await publish('retrying', c.token, 'files', 'Files')
      const posts = await eventually(async () => { const p = postsOf(peer, '/users/rita/inbox', serviceId); return p.length >= 2 ? p : undefined }, 'the retried delivery')
      expect(posts.map(p => p.type)).toEqual(['Create', 'Create'])
      // The peer asked for two seconds; the retry came no sooner (a little clock slack allowed).
      expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(1900)
      await eventually(async () => await hub.hub.store.deliveryQueueSize() === 0 ? true : undefined, 'the queue to drain')
      expect((await hub.hub.store.listDeliveryFailures(100)).filter(f => f.address.startsWith(peer.origin))).toEqual([])
    } finally {
      await peer.stop()
    }
  })

  it('ends a delivery to an inbox that answers 410 after one try and drops its follower', async () => {
    const peer = await new FakePeer().start()
    try {
      const dave = servePeerActor(peer, 'dave')
      const c = await coop('losing')
      await follow(peer, dave, c.id, 'losing')
      expect((await getActivityJson(`${c.id}/followers`)).totalItems).toBe(1)
      peer.answerPosts('/users/dave/inbox', [{ status: 410 }])
      const first = await publish('losing', c.token, 'first', 'First')
      const failure = await eventually(async () => (await hub.hub.store.listDeliveryFailures(100)).find(f => f.address === dave.inbox), 'the failure to be recorded')
      expect(failure).toMatchObject({ attempt: 0, reason: expect.stringMatching(/gone \(410\)/) })
      expect(postsOf(peer, '/users/dave/inbox', first)).toHaveLength(1)
      await eventually(async () => (await getActivityJson(`${c.id}/followers`)).totalItems === 0 ? true : undefined, 'the follower to be dropped')

      // Nothing more is sent to the gone inbox.
      const before = peer.postsTo('/users/dave/inbox').length
      await publish('losing', c.token, 'second', 'Second')
      await eventually(async () => await hub.hub.store.deliveryQueueSize() === 0 ? true : undefined, 'the queue to drain')
      expect(peer.postsTo('/users/dave/inbox').length).toBe(before)

      const hosts = await api(hub, 'GET', '/api/v1/admin/deliveries/hosts', hub.adminToken)
      expect(hosts.status).toBe(200)
      expect(hosts.json.items.find((h: any) => h.host === new URL(peer.origin).host)).toMatchObject({
        queued: 0, failures: 1, lastFailureReason: expect.stringMatching(/gone/), circuit: { state: 'closed' }
      })
    } finally {
      await peer.stop()
    }
  })

  it('delivers Create, Update and Delete of one object in that order, even when the Create is retried', async () => {
    const peer = await new FakePeer().start()
    try {
      const olga = servePeerActor(peer, 'olga')
      const c = await coop('ordered')
      await follow(peer, olga, c.id, 'ordered')
      peer.answerPosts('/users/olga/inbox', [{ status: 503, headers: { 'retry-after': '1' } }])
      const serviceId = await publish('ordered', c.token, 'files', 'Files v1')
      await publish('ordered', c.token, 'files', 'Files v2')
      expect((await api(hub, 'DELETE', '/api/v1/coops/ordered/services/files', c.token)).status).toBe(204)
      const posts = await eventually(async () => { const p = postsOf(peer, '/users/olga/inbox', serviceId); return p.length >= 4 ? p : undefined }, 'all three activities')
      expect(posts.map(p => p.type)).toEqual(['Create', 'Create', 'Update', 'Delete'])
    } finally {
      await peer.stop()
    }
  })

  it('sends one delivery to a host\'s shared inbox for several followers there', async () => {
    const peer = await new FakePeer().start()
    try {
      const alice = servePeerActor(peer, 'alice', { sharedInbox: true })
      const bob = servePeerActor(peer, 'bob', { sharedInbox: true })
      const c = await coop('fanout')
      await follow(peer, alice, c.id, 'fanout')
      await follow(peer, bob, c.id, 'fanout')
      const serviceId = await publish('fanout', c.token, 'files', 'Files')
      await eventually(async () => postsOf(peer, '/inbox', serviceId).length > 0 ? true : undefined, 'the Create')
      await eventually(async () => await hub.hub.store.deliveryQueueSize() === 0 ? true : undefined, 'the queue to drain')
      expect(postsOf(peer, '/inbox', serviceId)).toHaveLength(1)
      expect(postsOf(peer, '/users/alice/inbox', serviceId)).toHaveLength(0)
      expect(postsOf(peer, '/users/bob/inbox', serviceId)).toHaveLength(0)
    } finally {
      await peer.stop()
    }
  })
})
