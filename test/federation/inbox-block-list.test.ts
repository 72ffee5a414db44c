import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer } from '../helpers/fake-peer'
import { api } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * The recipient's block list, which the inbox keeps in memory between requests: a block made
 * after the list was read (by this process or by another one sharing the store) is honoured at
 * the next request, and so is a block lifted.
 */

const createOf = (actor: PeerActor, n: string): Record<string, unknown> => ({
  '@context': 'https://www.w3.org/ns/activitystreams',
  id: `${actor.id}/creates/${n}`,
  type: 'Create',
  actor: actor.id,
  object: { id: `${actor.id}/notes/${n}`, type: 'Note', attributedTo: actor.id, content: `note ${n}` }
})

describe('the inbox\'s block list, kept between requests', () => {
  let hub: TestHub
  let peer: FakePeer
  let pest: PeerActor
  let other: PeerActor
  let coopId: string
  const inboxPath = '/u/blocker/inbox'
  const blocked = (): string => `${hub.url}/u/blocker/blocked`

  beforeAll(async () => {
    hub = await startTestHub()
    peer = await new FakePeer().start()
    pest = servePeerActor(peer, 'pest')
    other = servePeerActor(peer, 'other')
    coopId = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'blocker', name: 'Blocker' })).json.id
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const post = async (actor: PeerActor, n: string): Promise<number> => {
    const body = JSON.stringify(createOf(actor, n))
    const url = `${hub.url}${inboxPath}`
    return (await postRaw(url, body, signedHeaders(actor, url, body, { style: 'cavage' }))).status
  }
  const held = async (actor: PeerActor, n: string): Promise<boolean> => await hub.hub.store.getActivity(`${actor.id}/creates/${n}`, false) !== null

  it('ignores an actor blocked by this process after the list was read, and takes it in again once the block is lifted', async () => {
    expect(await post(pest, 'before')).toBe(202)
    expect(await held(pest, 'before')).toBe(true)
    // The co-op's Block, where apex's outbox puts one: in its outbox and its blocked collection.
    const block = { id: `${coopId}/blocks/1`, type: 'Block', actor: [coopId], object: [pest.id], _meta: { collection: [`${coopId}/outbox`, blocked()] } }
    await hub.hub.store.saveActivity(block as never)
    // A blocked actor is answered as anyone is (it is not told), and nothing it sent is kept.
    expect(await post(pest, 'while-blocked')).toBe(202)
    expect(await held(pest, 'while-blocked')).toBe(false)
    expect(await post(other, 'unblocked-actor')).toBe(202)
    await hub.hub.store.updateActivityMeta({ id: block.id }, 'collection', blocked(), true)
    expect(await post(pest, 'after')).toBe(202)
    expect(await held(pest, 'after')).toBe(true)
  })

  it('ignores an actor blocked by another process sharing the store', async () => {
    const block = { id: `${coopId}/blocks/2`, type: 'Block', actor: [coopId], object: [pest.id], _meta: { collection: [`${coopId}/outbox`] } }
    await hub.hub.store.saveActivity(block as never)
    expect(await post(pest, 'before-other')).toBe(202)
    const otherProcess = new Database(path.join(hub.dataDir, 'hub.sqlite'))
    try {
      otherProcess.prepare('INSERT INTO stream_collections (collection, seq) SELECT ?, seq FROM streams WHERE id = ?').run(blocked(), block.id)
    } finally {
      otherProcess.close()
    }
    expect(await post(pest, 'blocked-elsewhere')).toBe(202)
    expect(await held(pest, 'blocked-elsewhere')).toBe(false)
  })
})
