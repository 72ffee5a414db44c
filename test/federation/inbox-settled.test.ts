import { api } from '../helpers/hub-process'
import { waitForStillHub } from '../helpers/quiet-hub'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * An activity no feature handles (a plain post to a co-op) is settled in the inbox's one write:
 * remembered as processed before the 202, with no journal entry to close after it, and nothing
 * run after the answer when apex has nothing to do for it either (a Create). One apex acts on (an
 * Update of a stored object) still gets apex's side effect. One a feature handles (a Note that may
 * be an umbrella vote) keeps its entry until its handler ran.
 */
describe('inbox: activities no feature handles are settled in one write', () => {
  let hub: TestHub
  let peer: FakePeer
  let alice: PeerActor
  let coop: { id: string }
  const AS = 'https://www.w3.org/ns/activitystreams'
  const INBOX = '/u/settled/inbox'

  const send = async (doc: Record<string, unknown>): Promise<number> => {
    const body = JSON.stringify(doc)
    const res = await postRaw(`${hub.url}${INBOX}`, body, signedHeaders(alice, `${hub.url}${INBOX}`, body, { style: 'cavage' }))
    return res.status
  }
  const keyOf = (activityId: string): { sender: string, activityId: string, recipientId: string } => ({ sender: alice.id, activityId, recipientId: coop.id })

  beforeAll(async () => {
    hub = await startTestHub()
    peer = await new FakePeer().start()
    alice = servePeerActor(peer, 'alice')
    coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'settled', name: 'Settled Co-op' })).json
  })

  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  it('stores a plain Note, marks it processed and runs nothing after the answer', async () => {
    const dispatch = jest.spyOn(hub.hub.journal, 'dispatch')
    try {
      const id = `${alice.id}/activities/plain-1`
      const note = { id: `${alice.id}/notes/plain-1`, type: 'Note', attributedTo: alice.id, to: coop.id, content: 'hello' }
      expect(await send({ '@context': AS, id, type: 'Create', actor: alice.id, to: coop.id, object: note })).toBe(202)
      await waitForStillHub(hub.hub)
      expect(await hub.hub.store.inboxJournal.wasProcessed(keyOf(id))).toBe(true)
      expect(await hub.hub.store.inboxJournal.listPending(10)).toEqual([])
      expect((await hub.hub.store.getActivity(id, true))?._meta?.collection).toEqual([`${coop.id}/inbox`])
      expect(dispatch).not.toHaveBeenCalled()

      // A repeat changes nothing and runs nothing.
      expect(await send({ '@context': AS, id, type: 'Create', actor: alice.id, to: coop.id, object: note })).toBe(202)
      await waitForStillHub(hub.hub)
      expect(dispatch).not.toHaveBeenCalled()
      expect(await hub.hub.store.inboxJournal.listPending(10)).toEqual([])
    } finally {
      dispatch.mockRestore()
    }
  })

  it('still runs apex\'s side effect for a settled activity apex acts on: an Update of a stored Note', async () => {
    const dispatch = jest.spyOn(hub.hub.journal, 'dispatch')
    try {
      const noteId = `${alice.id}/notes/plain-2`
      const note = { id: noteId, type: 'Note', attributedTo: alice.id, to: coop.id, content: 'first words' }
      expect(await send({ '@context': AS, id: `${alice.id}/activities/plain-2`, type: 'Create', actor: alice.id, to: coop.id, object: note })).toBe(202)
      const updateId = `${alice.id}/activities/plain-2-update`
      expect(await send({ '@context': AS, id: updateId, type: 'Update', actor: alice.id, to: coop.id, object: { ...note, content: 'second words' } })).toBe(202)
      await waitForStillHub(hub.hub)
      expect((await hub.hub.store.getObject(noteId))?.content).toEqual(['second words'])
      expect(await hub.hub.store.inboxJournal.wasProcessed(keyOf(updateId))).toBe(true)
      expect(await hub.hub.store.inboxJournal.listPending(10)).toEqual([])
      // The Update went through apex, whose event reaches the journal with no entry to close.
      expect(dispatch.mock.calls.map(([event, , journaled]) => [event.activity.id, journaled])).toEqual([[updateId, false]])
    } finally {
      dispatch.mockRestore()
    }
  })

  it('journals a Note a feature may take (one with a context) and closes its entry once the handler ran', async () => {
    const dispatch = jest.spyOn(hub.hub.journal, 'dispatch')
    try {
      const id = `${alice.id}/activities/context-1`
      const note = { id: `${alice.id}/notes/context-1`, type: 'Note', attributedTo: alice.id, to: coop.id, context: `${alice.id}/projects/1`, content: 'progress' }
      expect(await send({ '@context': AS, id, type: 'Create', actor: alice.id, to: coop.id, object: note })).toBe(202)
      await waitForStillHub(hub.hub)
      expect(dispatch.mock.calls.map(([event, , journaled]) => [event.activity.id, journaled])).toEqual([[id, true]])
      expect(await hub.hub.store.inboxJournal.wasProcessed(keyOf(id))).toBe(true)
      expect(await hub.hub.store.inboxJournal.listPending(10)).toEqual([])
    } finally {
      dispatch.mockRestore()
    }
  })
})
