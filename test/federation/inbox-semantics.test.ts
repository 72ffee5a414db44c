import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * What the inbox accepts beyond apex: the shared inbox (routing to the co-ops an activity is for,
 * once per co-op), Like and Announce of plain objects (Mastodon's), and embedded objects checked
 * against their origin (FEP-fe34).
 */
describe('inbox: shared inbox, reactions to objects, embedded objects', () => {
  let hub: TestHub
  let peer: FakePeer
  let third: FakePeer
  let alice: PeerActor
  let carol: PeerActor
  let one: { id: string, token: string }
  let two: { id: string, token: string }
  let lurker: { id: string, token: string }

  const post = async (path: string, doc: Record<string, unknown>, actor: PeerActor = alice): Promise<number> => {
    const body = JSON.stringify(doc)
    return (await postRaw(`${hub.url}${path}`, body, signedHeaders(actor, `${hub.url}${path}`, body, { style: 'cavage' }))).status
  }
  const inboxCount = async (coopId: string): Promise<number> => await hub.hub.store.getStreamCount(`${coopId}/inbox`)
  const inInbox = async (coopId: string, activityId: string): Promise<boolean> => {
    const stored = await hub.hub.store.getActivity(activityId, true)
    return Array.isArray(stored?._meta?.collection) && stored._meta.collection.includes(`${coopId}/inbox`)
  }

  beforeAll(async () => {
    hub = await startTestHub()
    peer = await new FakePeer().start()
    third = await new FakePeer().start()
    alice = servePeerActor(peer, 'alice', { sharedInbox: true })
    carol = servePeerActor(third, 'carol')
    const create = async (username: string): Promise<{ id: string, token: string }> => (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: username })).json
    one = await create('one')
    two = await create('two')
    lurker = await create('lurker')
    // Co-op "two" follows alice, and alice accepts.
    const follow = await api(hub, 'POST', '/api/v1/coops/two/follows', two.token, { target: alice.id })
    expect(follow.status).toBe(202)
    expect(await post(`/u/two/inbox`, { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/accepts/1`, type: 'Accept', actor: alice.id, object: follow.json.followId })).toBe(202)
    await eventually(async () => (await api(hub, 'GET', '/api/v1/coops/two/follows', two.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'the follow to be accepted')
  })

  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
    await third?.stop()
  })

  it('advertises the shared inbox on co-op actors', async () => {
    const actor = await getActivityJson(one.id)
    expect(actor.endpoints).toEqual({ sharedInbox: `${hub.url}/inbox` })
  })

  it('routes a shared-inbox activity to the co-ops it addresses and to those following its actor, once each', async () => {
    const note = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${alice.id}/activities/routed`,
      type: 'Create',
      actor: alice.id,
      to: ['https://www.w3.org/ns/activitystreams#Public', one.id, one.id],
      cc: [`${alice.id}/followers`],
      object: { id: `${alice.id}/notes/routed`, type: 'Note', attributedTo: alice.id, content: 'hello co-ops', to: ['https://www.w3.org/ns/activitystreams#Public'] }
    }
    const before = { one: await inboxCount(one.id), two: await inboxCount(two.id), lurker: await inboxCount(lurker.id) }
    expect(await post('/inbox', note)).toBe(202)
    expect(await inInbox(one.id, note.id)).toBe(true) // addressed
    expect(await inInbox(two.id, note.id)).toBe(true) // follows alice
    expect({ one: await inboxCount(one.id), two: await inboxCount(two.id), lurker: await inboxCount(lurker.id) })
      .toEqual({ one: before.one + 1, two: before.two + 1, lurker: before.lurker })
  })

  it('processes an activity once per co-op when it arrives at the shared and the personal inbox at once', async () => {
    const follow = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/follows/both`, type: 'Follow', actor: alice.id, object: one.id, to: one.id }
    const accepts = (): number => peer.postsTo('/inbox').filter(r => JSON.parse(r.body).type === 'Accept' && JSON.parse(r.body).object?.id === follow.id).length
    const statuses = await Promise.all([post('/inbox', follow), post('/u/one/inbox', follow), post('/inbox', follow), post('/u/one/inbox', follow)])
    expect(statuses).toEqual([202, 202, 202, 202])
    await eventually(async () => accepts() > 0 ? true : undefined, 'the Accept to reach alice')
    // Every request has been answered and every handler has run; nothing more is queued to send.
    await hub.hub.inbox.idle()
    await eventually(async () => await hub.hub.store.deliveryQueueSize() === 0 ? true : undefined, 'the queue to drain')
    expect(accepts()).toBe(1)
    expect((await getActivityJson(`${one.id}/followers`)).totalItems).toBe(1)
  })

  it('accepts Like and Announce of a plain object (a Note), which apex refused with 400', async () => {
    const noteId = `${alice.id}/notes/liked`
    peer.serve('/users/alice/notes/liked', { '@context': 'https://www.w3.org/ns/activitystreams', id: noteId, type: 'Note', attributedTo: alice.id, content: 'like me' })
    for (const type of ['Like', 'Announce']) {
      const activity = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/activities/${type.toLowerCase()}-note`, type, actor: alice.id, to: one.id, object: noteId }
      expect(await post('/u/one/inbox', activity)).toBe(202)
      expect(await inInbox(one.id, activity.id)).toBe(true)
    }
    // A Like of the co-op's own (local) object is accepted too.
    const like = { '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/activities/like-actor`, type: 'Like', actor: alice.id, to: one.id, object: one.id }
    expect(await post('/u/one/inbox', like)).toBe(202)
  })

  it('stores an embedded object from a third server as its origin serves it, not as sent', async () => {
    const noteId = `${third.origin}/notes/authentic`
    third.serve('/notes/authentic', { '@context': 'https://www.w3.org/ns/activitystreams', id: noteId, type: 'Note', attributedTo: carol.id, content: 'what carol wrote' })
    const create = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${alice.id}/activities/relayed`,
      type: 'Create',
      actor: alice.id,
      to: one.id,
      object: { id: noteId, type: 'Note', attributedTo: carol.id, content: 'words put in carol\'s mouth' }
    }
    expect(await post('/u/one/inbox', create)).toBe(202)
    const stored = await hub.hub.store.getObject(noteId)
    expect(stored?.content).toEqual(['what carol wrote'])
    const activity = await hub.hub.store.getActivity(create.id)
    expect(JSON.stringify(activity)).not.toContain('put in carol')
  })

  it('never takes a sender\'s copy of an object of this hub', async () => {
    const service = await api(hub, 'PUT', '/api/v1/coops/one/services/files', one.token, { name: 'Files of One', category: 'file-hosting', url: 'https://files.one.example', access: 'members' })
    const before = await hub.hub.store.getObject(service.json.id)
    const announce = {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${alice.id}/activities/announce-forged`,
      type: 'Announce',
      actor: alice.id,
      to: one.id,
      object: { id: service.json.id, type: 'Page', name: 'Forged name', attributedTo: one.id }
    }
    expect(await post('/u/one/inbox', announce)).toBe(202)
    expect(await hub.hub.store.getObject(service.json.id)).toEqual(before)
    expect(JSON.stringify(await hub.hub.store.getActivity(announce.id))).not.toContain('Forged name')
  })
})
