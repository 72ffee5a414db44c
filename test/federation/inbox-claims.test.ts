import fs from 'fs'
import path from 'path'
import { api, eventually } from '../helpers/hub-process'
import { snapshotDatabase } from '../helpers/db-snapshot'
import { waitForStillHub } from '../helpers/quiet-hub'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * What an activity may claim: an id on its own actor's server only (a squatter cannot get the
 * real activity dropped as a repeat), no second run of a replayed request after an Undo, and
 * writes to a stored object only by the owner the hub has on record.
 */
describe('inbox: activity ids, replays after Undo, owners of stored objects', () => {
  let hub: TestHub
  let victim: FakePeer
  let attacker: FakePeer
  let alice: PeerActor
  let mallory: PeerActor
  let ann: PeerActor
  let ben: PeerActor
  let coop: { id: string, token: string }
  const INBOX = '/u/claims/inbox'

  const signed = (actor: PeerActor, doc: unknown, path = INBOX): { body: string, headers: Record<string, string> } => {
    const body = JSON.stringify(doc)
    return { body, headers: signedHeaders(actor, `${hub.url}${path}`, body, { style: 'cavage' }) }
  }
  const send = async (actor: PeerActor, doc: unknown, path = INBOX): Promise<{ status: number, message?: string }> => {
    const { body, headers } = signed(actor, doc, path)
    const res = await postRaw(`${hub.url}${path}`, body, headers)
    await settle()
    return { status: res.status, message: res.json?.message }
  }
  /** Waits until the handlers and the deliveries (Accepts) they queued are done and the database is still. */
  const settle = async (): Promise<void> => { await waitForStillHub(hub.hub) }
  const followersOf = async (): Promise<number> => await hub.hub.store.getStreamCount(`${coop.id}/followers`)
  const follows = async (actor: PeerActor): Promise<boolean> =>
    (await hub.hub.store.findActivityByCollectionAndActorId(`${coop.id}/followers`, actor.id)) !== null
  const journal = async (): Promise<number> => (await hub.hub.store.inboxJournal.listPending(100)).length
  const processed = async (sender: PeerActor, activityId: string): Promise<boolean> =>
    await hub.hub.store.inboxJournal.wasProcessed({ sender: sender.id, activityId, recipientId: coop.id })
  const AS = 'https://www.w3.org/ns/activitystreams'

  beforeAll(async () => {
    hub = await startTestHub()
    victim = await new FakePeer().start()
    attacker = await new FakePeer().start()
    alice = servePeerActor(victim, 'alice')
    mallory = servePeerActor(attacker, 'mallory')
    ann = servePeerActor(victim, 'ann')
    ben = servePeerActor(victim, 'ben')
    coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'claims', name: 'Claims Co-op' })).json
  })

  afterAll(async () => {
    await hub?.stop()
    await victim?.stop()
    await attacker?.stop()
  })

  it('refuses an activity under another server\'s id (403, nothing stored); the real one is processed afterwards', async () => {
    const followId = `${alice.id}#follows/42`
    const undoId = `${alice.id}#follows/42/undo`
    // Warm up mallory's key, so the snapshots below compare only the squatting requests.
    expect((await send(mallory, { '@context': AS, id: `${mallory.id}#follows/1`, type: 'Follow', actor: mallory.id, object: coop.id })).status).toBe(202)
    const before = snapshotDatabase(hub.hub.config.dataDir)
    const squatFollow = await send(mallory, { '@context': AS, id: followId, type: 'Follow', actor: mallory.id, object: coop.id })
    const squatUndo = await send(mallory, { '@context': AS, id: undoId, type: 'Undo', actor: mallory.id, object: `${mallory.id}#follows/1` })
    const squatShared = await send(mallory, { '@context': AS, id: undoId, type: 'Undo', actor: mallory.id, to: coop.id, object: `${mallory.id}#follows/1` }, '/inbox')
    for (const refused of [squatFollow, squatUndo, squatShared]) {
      expect(refused).toEqual({ status: 403, message: expect.stringMatching(/is not on its actor's server .*ids of its own/) })
    }
    expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
    expect(await follows(mallory)).toBe(true)

    // The victim's real activities under those ids run as they should.
    expect((await send(alice, { '@context': AS, id: followId, type: 'Follow', actor: alice.id, object: coop.id })).status).toBe(202)
    await eventually(async () => await follows(alice) ? true : undefined, 'alice to be a follower')
    expect(await followersOf()).toBe(2)
    expect((await send(alice, { '@context': AS, id: undoId, type: 'Undo', actor: alice.id, object: followId })).status).toBe(202)
    expect(await follows(alice)).toBe(false)
    expect(await followersOf()).toBe(1)
    expect(await journal()).toBe(0)
    expect({ follow: await processed(alice, followId), undo: await processed(alice, undoId) }).toEqual({ follow: true, undo: true })
    expect({ follow: await processed(mallory, followId), undo: await processed(mallory, undoId) }).toEqual({ follow: false, undo: false })
  })

  it('answers a replay of a Follow after its Undo 202 and changes nothing: the follower stays gone', async () => {
    const followId = `${alice.id}/follows/replayed`
    const follow = signed(alice, { '@context': AS, id: followId, type: 'Follow', actor: alice.id, object: coop.id })
    expect((await postRaw(`${hub.url}${INBOX}`, follow.body, follow.headers)).status).toBe(202)
    await settle()
    await eventually(async () => await follows(alice) ? true : undefined, 'alice to be a follower')
    const undoId = `${followId}/undo`
    expect((await send(alice, { '@context': AS, id: undoId, type: 'Undo', actor: alice.id, object: followId })).status).toBe(202)
    expect(await follows(alice)).toBe(false)
    const before = snapshotDatabase(hub.hub.config.dataDir)

    // The captured bytes and headers of the Follow, within the Date window, at both inboxes.
    expect((await postRaw(`${hub.url}${INBOX}`, follow.body, follow.headers)).status).toBe(202)
    await settle()
    expect(await follows(alice)).toBe(false)
    expect(await hub.hub.store.getActivity(followId)).toBeNull()
    expect(await journal()).toBe(0)
    expect({ follow: await processed(alice, followId), undo: await processed(alice, undoId) }).toEqual({ follow: true, undo: true })
    expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
  })

  it('forgets processed activities only after the signature window', async () => {
    const id = `${alice.id}/follows/replayed`
    expect(await hub.hub.journal.prune()).toBe(0)
    expect(await processed(alice, id)).toBe(true)
    const later = await hub.hub.store.inboxJournal.pruneProcessed(new Date(Date.now() + 1000))
    expect(later).toBeGreaterThan(0)
    expect(await processed(alice, id)).toBe(false)
  })

  describe('two actors of one server', () => {
    const example = (file: string): Record<string, any> => {
      const text = fs.readFileSync(path.join(__dirname, '..', '..', 'federation', 'examples', file), 'utf8')
      return JSON.parse(text.replaceAll('https://hub-a.example/u/alpha', ann.id).replaceAll('https://hub-a.example', victim.origin))
    }
    let service: Record<string, any>
    let pool: Record<string, any>

    beforeAll(async () => {
      // The co-op follows ann, so her services and pools are kept.
      const follow = await api(hub, 'POST', '/api/v1/coops/claims/follows', coop.token, { target: ann.id })
      expect(follow.status).toBe(202)
      expect((await send(ann, { '@context': AS, id: `${ann.id}/accepts/1`, type: 'Accept', actor: ann.id, object: follow.json.followId })).status).toBe(202)
      await eventually(async () => await hub.hub.store.isFollowedByAnyCoop(ann.id) ? true : undefined, 'the follow of ann to be accepted')
      const createService: Record<string, any> = { ...example('hosted-service-create.json'), to: coop.id }
      const createPool: Record<string, any> = { ...example('funding-pool-create.json'), to: coop.id }
      service = createService.object
      pool = createPool.object
      expect((await send(ann, createService)).status).toBe(202)
      expect((await send(ann, createPool)).status).toBe(202)
      await eventually(async () => await hub.hub.store.getService(service.id) !== null && (await hub.hub.store.pools.getPool(pool.id)) !== null ? true : undefined, 'ann\'s service and pool to be kept')
      // Warm up ben's key.
      expect((await send(ben, { '@context': AS, id: `${ben.id}/follows/1`, type: 'Follow', actor: ben.id, object: coop.id })).status).toBe(202)
      await settle()
    })

    const takeOver = (kind: 'service' | 'pool', type: 'Update' | 'Create'): () => Record<string, unknown> => () => {
      const object = kind === 'service' ? service : pool
      return {
        '@context': example('hosted-service-create.json')['@context'],
        id: `${ben.id}/activities/${kind}-${type.toLowerCase()}`,
        type,
        actor: ben.id,
        to: coop.id,
        object: { ...object, name: 'Taken over by ben', attributedTo: ben.id, updated: new Date().toISOString() }
      }
    }

    it.each([
      ['Update of ann\'s service', takeOver('service', 'Update')],
      ['Update of ann\'s pool', takeOver('pool', 'Update')],
      ['Create under the id of ann\'s service', takeOver('service', 'Create')],
      ['Delete of ann\'s service', () => ({ '@context': AS, id: `${ben.id}/activities/delete-service`, type: 'Delete', actor: ben.id, to: coop.id, object: service.id })],
      ['Delete of ann\'s pool', () => ({ '@context': AS, id: `${ben.id}/activities/delete-pool`, type: 'Delete', actor: ben.id, to: coop.id, object: pool.id })]
    ])('refuses ben\'s %s (403) and changes nothing', async (_name, doc) => {
      const before = snapshotDatabase(hub.hub.config.dataDir)
      const storedBefore = { service: await hub.hub.store.getObject(service.id), pool: await hub.hub.store.getObject(pool.id) }
      expect(await send(ben, doc())).toEqual({ status: 403, message: expect.stringMatching(new RegExp(`belongs to ${ann.id} on this hub; ${ben.id} may not`)) })
      expect(snapshotDatabase(hub.hub.config.dataDir)).toEqual(before)
      expect({ service: await hub.hub.store.getObject(service.id), pool: await hub.hub.store.getObject(pool.id) }).toEqual(storedBefore)
      expect((await hub.hub.store.getService(service.id))?.actorId).toBe(ann.id)
      expect((await hub.hub.store.pools.getPool(pool.id))?.stewardId).toBe(ann.id)
    })

    it('still takes ann\'s own Update of her pool', async () => {
      const update: Record<string, any> = { ...example('funding-pool-update.json'), to: coop.id }
      expect(update.object.id).toBe(pool.id)
      expect((await send(ann, update)).status).toBe(202)
      await eventually(async () => (await hub.hub.store.pools.getPool(pool.id))?.object.updated === update.object.updated ? true : undefined, 'ann\'s update to be kept')
    })
  })
})
