import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { mastodonSignedHeaders } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { loadPeerFixture, MastodonPeer, startMastodonPeer } from './mastodon-peer'

/** Follow approval, and the trust rule: services are listed only from actors a co-op follows. */
describe('follow approval and trust', () => {
  let hub: TestHub
  let mastodon: MastodonPeer
  let token: string
  let coopId: string

  beforeAll(async () => {
    hub = await startTestHub()
    mastodon = await startMastodonPeer()
    const created = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'careful', name: 'Careful Co-op', followPolicy: 'approval' })
    token = created.json.token
    coopId = created.json.id
  })
  afterAll(async () => {
    await hub?.stop()
    await mastodon?.peer.stop()
  })

  async function deliver (activity: Record<string, unknown>): Promise<number> {
    const url = `${coopId}/inbox`
    const body = JSON.stringify(activity)
    const res = await fetch(url, { method: 'POST', body, headers: mastodonSignedHeaders({ url, body, keyId: mastodon.keyId, privateKeyPem: mastodon.privateKeyPem }) })
    return res.status
  }

  function followActivity (id: string): Record<string, unknown> {
    const follow = loadPeerFixture('mastodon-follow.json', mastodon.peer.origin, { TARGET_ACTOR: coopId })
    follow.id = `${mastodon.peer.origin}/${id}`
    return follow
  }

  it('advertises manual approval and keeps a Follow pending until the admin answers', async () => {
    const actor = await getActivityJson(coopId)
    expect(actor.manuallyApprovesFollowers).toBe(true)

    expect(await deliver(followActivity('follow-1'))).toBe(202)
    await hub.hub.inbox.idle()
    const pending = await api(hub, 'GET', '/api/v1/coops/careful/follow-requests', token)
    expect(pending.json.items).toEqual([expect.objectContaining({ followId: `${mastodon.peer.origin}/follow-1`, remoteActorId: mastodon.actorId, state: 'pending' })])
    expect(mastodon.peer.postsTo(mastodon.sharedInbox)).toHaveLength(0)

    const accepted = await api(hub, 'POST', `/api/v1/coops/careful/follow-requests/${encodeURIComponent(`${mastodon.peer.origin}/follow-1`)}/accept`, token)
    expect(accepted.status).toBe(200)
    expect(accepted.json.state).toBe('accepted')
    const sent = await eventually(async () => mastodon.peer.postsTo(mastodon.sharedInbox)[0], 'the Accept to be delivered')
    expect(JSON.parse(sent.body)).toMatchObject({ type: 'Accept', object: { id: `${mastodon.peer.origin}/follow-1` } })
    const followers = await getActivityJson(`${coopId}/followers`)
    expect(followers.totalItems).toBe(1)

    const again = await api(hub, 'POST', `/api/v1/coops/careful/follow-requests/${encodeURIComponent(`${mastodon.peer.origin}/follow-1`)}/accept`, token)
    expect(again.status).toBe(409)
  })

  it('rejects a pending Follow with a Reject sent to the follower', async () => {
    expect(await deliver(followActivity('follow-2'))).toBe(202)
    await hub.hub.inbox.idle()
    const res = await api(hub, 'POST', `/api/v1/coops/careful/follow-requests/${encodeURIComponent(`${mastodon.peer.origin}/follow-2`)}/reject`, token)
    expect(res.json.state).toBe('rejected')
    await eventually(async () => mastodon.peer.postsTo(mastodon.sharedInbox).map(r => JSON.parse(r.body)).find(a => a.type === 'Reject'), 'the Reject to be delivered')
    const followers = await getActivityJson(`${coopId}/followers`)
    expect(followers.totalItems).toBe(1)
  })

  it('answers 404 for a follow request that does not exist', async () => {
    const res = await api(hub, 'POST', `/api/v1/coops/careful/follow-requests/${encodeURIComponent('https://nowhere.example/f')}/accept`, token)
    expect(res.status).toBe(404)
  })

  it('acknowledges a HostedService from an actor no co-op follows but does not list it', async () => {
    const service = {
      id: `${mastodon.peer.origin}/services/spam`,
      type: ['Page', 'ioo:HostedService'],
      attributedTo: mastodon.actorId,
      name: 'Unvetted', summary: 'Not followed by anyone here', url: 'https://spam.example',
      serviceType: 'web-hosting', access: 'public', to: ['https://www.w3.org/ns/activitystreams#Public']
    }
    const create = {
      '@context': ['https://www.w3.org/ns/activitystreams', { ioo: 'https://w3id.org/ioocloud/ns#', serviceType: 'http://schema.org/serviceType', access: 'ioo:access' }],
      id: `${mastodon.peer.origin}/activities/create-spam`,
      type: 'Create',
      actor: mastodon.actorId,
      to: ['https://www.w3.org/ns/activitystreams#Public'],
      cc: [coopId],
      object: service
    }
    expect(await deliver(create)).toBe(202)
    await hub.hub.inbox.idle()
    const listed = await api(hub, 'GET', '/api/v1/services')
    expect(listed.json.items.find((s: any) => s.id === service.id)).toBeUndefined()

    // Control: once the co-op follows the sender and the follow is accepted, the same object is listed.
    const follow = await api(hub, 'POST', '/api/v1/coops/careful/follows', token, { target: mastodon.actorId })
    expect(follow.status).toBe(202)
    const sentFollow = await eventually(async () => mastodon.peer.received.map(r => JSON.parse(r.body)).find(a => a.type === 'Follow'), 'the Follow to reach Mastodon')
    expect(sentFollow.id).toBe(follow.json.followId)
    expect(await deliver({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${mastodon.peer.origin}/accept-1`, type: 'Accept', actor: mastodon.actorId, object: sentFollow })).toBe(202)
    await eventually(async () => (await api(hub, 'GET', '/api/v1/coops/careful/follows', token)).json.items[0]?.state === 'accepted' ? true : undefined, 'the follow to be accepted')
    expect(await deliver({ ...create, id: `${mastodon.peer.origin}/activities/create-again` })).toBe(202)
    await hub.hub.inbox.idle()
    const listedNow = await api(hub, 'GET', '/api/v1/services')
    expect(listedNow.json.items.find((s: any) => s.id === service.id)).toMatchObject({ name: 'Unvetted', local: false })
  })
})
