import { api } from '../helpers/hub-process'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * A Create from another server is checked by the hub's own step (`validateInboxActivity`), as apex
 * checked it: an object without a type is refused with a reason, and a collection embedded in the
 * activity is stored without its items, as apex stores it.
 */
describe('the inbox\'s checks of a Create', () => {
  let hub: TestHub
  let peer: FakePeer
  let alice: PeerActor
  let coopId: string
  const inbox = '/u/checked/inbox'

  beforeAll(async () => {
    hub = await startTestHub({ HUB_ALLOW_PRIVATE_ADDRESSES: '127.0.0.1' })
    peer = await new FakePeer().start()
    alice = servePeerActor(peer, 'alice')
    peer.serve('/users/alice/untyped', { '@context': 'https://www.w3.org/ns/activitystreams', id: `${peer.origin}/users/alice/untyped`, attributedTo: alice.id, content: 'no type' })
    coopId = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'checked', name: 'Checked Co-op' })).json.id
  })

  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const post = async (doc: Record<string, unknown>): Promise<{ status: number, json?: { message?: string } }> => {
    const body = JSON.stringify(doc)
    return await postRaw(`${hub.url}${inbox}`, body, signedHeaders(alice, `${hub.url}${inbox}`, body, { style: 'cavage' }))
  }

  it('refuses a Create whose object, as its server serves it, has no type', async () => {
    const res = await post({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${alice.id}/activities/untyped`, type: 'Create', actor: alice.id, to: coopId, object: `${peer.origin}/users/alice/untyped` })
    expect({ status: res.status, message: res.json?.message }).toEqual({ status: 400, message: 'A Create needs an object with an id and a type' })
    expect(await hub.hub.store.getActivity(`${alice.id}/activities/untyped`)).toBeNull()
  })

  it('stores an embedded shares collection of a Create without its items', async () => {
    const id = `${alice.id}/activities/shared`
    const res = await post({
      '@context': 'https://www.w3.org/ns/activitystreams', id, type: 'Create', actor: alice.id, to: coopId,
      shares: { id: `${id}/shares`, type: 'OrderedCollection', totalItems: 1, orderedItems: [`${peer.origin}/users/bob/announces/1`] },
      object: { id: `${alice.id}/notes/shared`, type: 'Note', attributedTo: alice.id, content: 'hello' }
    })
    expect(res.status).toBe(202)
    const stored = await hub.hub.store.getActivity(id)
    expect(stored?.shares).toEqual([{ id: `${id}/shares`, type: 'OrderedCollection', totalItems: [1] }])
  })
})
