import crypto from 'crypto'
import { api } from '../helpers/hub-process'
import { FakePeer, mastodonSignedHeaders, testKeyPair } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * Impersonation through an open redirect, played with three loopback servers: a victim whose
 * server has an open redirect (`/redirect?to=…`), an attacker serving an actor document that
 * claims the victim's id with the attacker's key, and the hub. A document counts only for the
 * origin that finally served it, so every path refuses, and the victim's cached actor (fetched
 * legitimately first) stays exactly as it was.
 */
describe('impersonation through a redirect to another server', () => {
  let hub: TestHub
  let victimServer: FakePeer
  let attackerServer: FakePeer
  let victim: PeerActor
  let mallory: PeerActor
  let attackerKeys: { publicKeyPem: string, privateKeyPem: string }
  let coopId: string
  let coopToken: string
  let redirectKeyId: string
  const inbox = (): string => `${hub.url}/u/coop/inbox`

  /** The victim's actor as the hub stores it. */
  const storedVictim = async (): Promise<string> => JSON.stringify(await hub.hub.store.getObject(victim.id))
  const inboxSize = async (): Promise<number> => await hub.hub.store.getStreamCount(`${coopId}/inbox`)
  const through = (path: string): string => `${victimServer.origin}/redirect?to=${attackerServer.origin}${path}`

  beforeAll(async () => {
    hub = await startTestHub()
    victimServer = await new FakePeer().start()
    attackerServer = await new FakePeer().start()
    victim = servePeerActor(victimServer, 'victim')
    victimServer.openRedirect('/redirect')
    mallory = servePeerActor(attackerServer, 'mallory')
    attackerKeys = testKeyPair()
    redirectKeyId = `${through('/fake')}#main-key`
    // The forgery: the victim's id, the attacker's inbox and key.
    attackerServer.serve('/fake', {
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
      id: victim.id,
      type: 'Person',
      preferredUsername: 'victim',
      inbox: `${attackerServer.origin}/stolen/inbox`,
      publicKey: { id: redirectKeyId, owner: victim.id, publicKeyPem: attackerKeys.publicKeyPem }
    })
    attackerServer.serve('/forged-note', {
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${victimServer.origin}/notes/forged`,
      type: 'Note',
      attributedTo: victim.id,
      content: 'words the victim never wrote'
    })

    const coop = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'coop', name: 'The Co-op' })
    coopId = coop.json.id
    coopToken = coop.json.token
    // The victim's actor is cached the legitimate way: it follows the co-op, signed with its own key.
    const follow = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${victim.id}/activities/follow-1`, type: 'Follow', actor: victim.id, object: coopId })
    const res = await postRaw(inbox(), follow, signedHeaders(victim, inbox(), follow, { style: 'cavage' }))
    expect(res.status).toBe(202)
    await hub.hub.inbox.idle()
    expect(JSON.parse(await storedVictim())).toMatchObject({ id: victim.id, inbox: [victim.inbox] })
  })

  afterAll(async () => {
    await hub?.stop()
    await victimServer?.stop()
    await attackerServer?.stop()
  })

  it('refuses an inbox POST signed with a keyId that redirects to the forged actor (401), and keeps the cached actor', async () => {
    const before = await storedVictim()
    const inboxBefore = await inboxSize()
    const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${victim.id}/activities/forged-1`, type: 'Follow', actor: victim.id, object: coopId })
    const res = await postRaw(inbox(), body, mastodonSignedHeaders({ url: inbox(), body, keyId: redirectKeyId, privateKeyPem: attackerKeys.privateKeyPem }))
    await hub.hub.inbox.idle()
    expect(await storedVictim()).toBe(before)
    expect(res.status).toBe(401)
    expect(res.json.message).toMatch(/signing key could not be fetched.*served from .* after a redirect.*not from the same origin/)
    expect(await inboxSize()).toBe(inboxBefore)
    // Nothing was ever sent to the attacker's inbox in the victim's name.
    expect(attackerServer.postsTo('/stolen/inbox')).toEqual([])
  })

  it('refuses the same keyId at the shared inbox (RFC 9421) and keeps the cached actor', async () => {
    const before = await storedVictim()
    const forger: PeerActor = { ...victim, keyId: redirectKeyId, privateKey: crypto.createPrivateKey(attackerKeys.privateKeyPem), privateKeyPem: attackerKeys.privateKeyPem }
    const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${victim.id}/activities/forged-2`, type: 'Follow', actor: victim.id, object: coopId })
    const res = await postRaw(`${hub.url}/inbox`, body, signedHeaders(forger, `${hub.url}/inbox`, body, { style: 'rfc9421' }))
    expect(res.status).toBe(401)
    expect(res.json.message).toMatch(/not from the same origin/)
    expect(await storedVictim()).toBe(before)
  })

  it('refuses to take the forged document as the victim on an actor fetch (follow by URL), and keeps the cached actor', async () => {
    const before = await storedVictim()
    const res = await api(hub, 'POST', '/api/v1/coops/coop/follows', coopToken, { target: through('/fake') })
    expect(res.status).toBe(502)
    expect(res.json.message).toMatch(/served from .* after a redirect.*not from the same origin/)
    expect(await storedVictim()).toBe(before)
    expect((await api(hub, 'GET', '/api/v1/coops/coop/follows', coopToken)).json.items).toEqual([])
  })

  it('refuses an embedded object re-fetched through the redirect (400), storing nothing', async () => {
    const inboxBefore = await inboxSize()
    const body = JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams',
      id: `${mallory.id}/activities/create-1`,
      type: 'Create',
      actor: mallory.id,
      to: coopId,
      object: { id: through('/forged-note'), type: 'Note', attributedTo: victim.id, content: 'words the victim never wrote' }
    })
    const res = await postRaw(inbox(), body, signedHeaders(mallory, inbox(), body, { style: 'cavage' }))
    await hub.hub.inbox.idle()
    expect(res.status).toBe(400)
    expect(res.json.message).toMatch(/its own server did not confirm it.*not from the same origin/)
    expect(await hub.hub.store.getObject(`${victimServer.origin}/notes/forged`)).toBeNull()
    expect(await inboxSize()).toBe(inboxBefore)
  })
})
