/**
 * Contract for the process registry and what it decides across processes: which delivery
 * leases and inbox journal entries a dead process held, and who handles an inbound activity.
 * Two stores on one database stand for two hub processes. Every adapter passes it.
 */
import type { HubStore } from '../../src/store/store.port'
import { claimed, fixtures } from './store.fixtures'

const ACTOR = 'https://hub.test/u/alpha'
const INBOX = `${ACTOR}/inbox`
const ACTIVITY = 'https://peer.example/activities/1'
const SENDER = 'https://peer.example/u/p'
const KEY = { sender: SENDER, activityId: ACTIVITY, recipientId: ACTOR }

/** What the suite uses of a store: the process registry, the queues, the journal, and three of apex's methods. */
export type ProcessesStore = Pick<HubStore, 'processes' | 'inboxJournal' | 'outbox' | 'deliveryEnqueue' | 'deliveryDequeue' | 'saveActivity' | 'removeActivity' | 'getActivity'>

/** Two stores sharing one database (as two processes would), and a way to close both. */
export interface StorePair { a: ProcessesStore, b: ProcessesStore, close: () => void }

/** Registers the contract for one adapter; `makePair` gives fresh stores per test. */
export function describeProcessesContract (adapterName: string, makePair: () => StorePair): void {
  describe(`process registry: ${adapterName}`, () => {
    let pair: StorePair
    let a: ProcessesStore
    let b: ProcessesStore
    beforeEach(async () => {
      pair = makePair()
      a = pair.a
      b = pair.b
      await a.processes.register({ machine: 'm1', pid: 101 })
      await b.processes.register({ machine: 'm1', pid: 102 })
    })
    afterEach(() => pair.close())

    it('registers, lists, beats and deregisters; a reaped process learns it from its heartbeat', async () => {
      expect(a.processes.selfId).not.toBe(b.processes.selfId)
      const listed = await b.processes.list()
      expect(listed.map(p => p.id).sort()).toEqual([a.processes.selfId, b.processes.selfId].sort())
      expect(listed.find(p => p.id === a.processes.selfId)).toMatchObject({ machine: 'm1', pid: 101, startedAt: expect.any(String), heartbeatAt: expect.any(String) })
      expect(await a.processes.heartbeat()).toBe(true)
      expect(await b.processes.reap([a.processes.selfId])).toEqual({ processes: 1, deliveries: 0 })
      expect(await a.processes.heartbeat()).toBe(false)
      // A process never reaps itself.
      expect(await b.processes.reap([b.processes.selfId])).toEqual({ processes: 0, deliveries: 0 })
      await b.processes.deregister()
      expect(await a.processes.list()).toEqual([])
    })

    it('releases the delivery leases of a dead process only, and the other process sends them', async () => {
      await a.deliveryEnqueue(ACTOR, '{"n":1}', ['https://one.example/inbox', 'https://two.example/inbox'])
      const takenByA = claimed(await a.deliveryDequeue())
      const takenByB = claimed(await b.deliveryDequeue())
      expect(takenByA.id).not.toBe(takenByB.id)
      // Both holders are alive: nothing is released, nothing can be claimed.
      expect(await b.processes.reap([])).toEqual({ processes: 0, deliveries: 0 })
      expect(await b.deliveryDequeue()).not.toMatchObject({ id: expect.any(Number) })
      // A dies: its lease (and only its) is free again.
      expect(await b.processes.reap([a.processes.selfId])).toEqual({ processes: 1, deliveries: 1 })
      expect(claimed(await b.deliveryDequeue()).id).toBe(takenByA.id)
      expect(await b.processes.reap([])).toEqual({ processes: 0, deliveries: 0 })
    })

    it('releases the audience resolutions a dead process leased, so another process resolves them', async () => {
      const resolution = { activityId: `${ACTOR}/s/1`, actorId: ACTOR, body: '{}', audience: [`${ACTOR}/followers`], orderingKey: null }
      await a.outbox.publish({ resolution })
      const [job] = await a.outbox.claimResolutions(10)
      await b.processes.reap([])
      expect(await b.outbox.claimResolutions(10)).toEqual([]) // a is alive: still leased
      await b.processes.reap([a.processes.selfId])
      expect(await b.outbox.claimResolutions(10)).toEqual([{ ...resolution, id: job.id, attempt: 0, cursor: { position: 0, seq: 0 } }])
    })

    it('claims an inbound activity for one process only; the other answers busy, then done once it finished', async () => {
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('claimed')
      expect(await b.inboxJournal.claim(KEY, INBOX, b.processes.selfId)).toBe('busy')
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('busy')
      // Another recipient of the same activity is a separate claim.
      expect(await b.inboxJournal.claim({ ...KEY, recipientId: 'https://hub.test/u/beta' }, 'https://hub.test/u/beta/inbox', b.processes.selfId)).toBe('claimed')
      await a.saveActivity({ ...fixtures.activity(1, 'Create', SENDER, 'https://peer.example/o/1', [INBOX]), id: ACTIVITY })
      expect(await b.inboxJournal.claim(KEY, INBOX, b.processes.selfId)).toBe('busy')
      await a.inboxJournal.finish(KEY)
      expect(await b.inboxJournal.claim(KEY, INBOX, b.processes.selfId)).toBe('done')
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('done')
    })

    it('takes an activity stored for the recipient as a repeat only when its sender sent it', async () => {
      await a.saveActivity({ ...fixtures.activity(1, 'Create', SENDER, 'https://peer.example/o/1', [INBOX]), id: ACTIVITY })
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('done')
      // Another sender's activity under the same id is not a repeat of it (and the reverse).
      expect(await a.inboxJournal.claim({ ...KEY, sender: 'https://other.example/u/m' }, INBOX, a.processes.selfId)).toBe('claimed')
    })

    it('remembers a finished activity after it was removed (Undo), until pruned; a discarded one is not remembered', async () => {
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('claimed')
      await a.saveActivity({ ...fixtures.activity(1, 'Follow', SENDER, ACTOR, [INBOX]), id: ACTIVITY })
      await a.inboxJournal.finish(KEY)
      await a.removeActivity({ id: ACTIVITY }, SENDER)
      expect(await a.getActivity(ACTIVITY)).toBeNull()
      expect(await a.inboxJournal.wasProcessed(KEY)).toBe(true)
      expect(await b.inboxJournal.claim(KEY, INBOX, b.processes.selfId)).toBe('done')
      // Only what finished before the cut-off is forgotten.
      expect(await a.inboxJournal.pruneProcessed(new Date(Date.now() - 60_000))).toBe(0)
      expect(await a.inboxJournal.pruneProcessed(new Date(Date.now() + 60_000))).toBe(1)
      expect(await a.inboxJournal.wasProcessed(KEY)).toBe(false)
      expect(await b.inboxJournal.claim(KEY, INBOX, b.processes.selfId)).toBe('claimed')
      await b.inboxJournal.discard(KEY)
      expect(await b.inboxJournal.isPending(KEY)).toBe(false)
      expect(await b.inboxJournal.wasProcessed(KEY)).toBe(false)
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('claimed')
    })

    it('hands an entry of a dead or failed run to one other process', async () => {
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('claimed')
      expect(await b.inboxJournal.listUnowned(10)).toEqual([])
      expect(await b.inboxJournal.takeOver(KEY, b.processes.selfId)).toBe(false)
      // A gives up (its run failed before the handlers): anyone may finish it.
      await b.inboxJournal.abandon(KEY, b.processes.selfId) // not B's to give up: no change
      expect(await b.inboxJournal.listUnowned(10)).toEqual([])
      await a.inboxJournal.abandon(KEY, a.processes.selfId)
      expect((await b.inboxJournal.listUnowned(10)).map(e => e.activityId)).toEqual([ACTIVITY])
      expect(await b.inboxJournal.takeOver(KEY, b.processes.selfId)).toBe(true)
      expect(await a.inboxJournal.takeOver(KEY, a.processes.selfId)).toBe(false)
      expect(await a.inboxJournal.listUnowned(10)).toEqual([])
      // B dies holding it: a redelivery to A claims it again.
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('busy')
      await a.processes.reap([b.processes.selfId])
      expect(await a.inboxJournal.claim(KEY, INBOX, a.processes.selfId)).toBe('claimed')
      expect(await a.inboxJournal.isPending(KEY)).toBe(true)
    })
  })
}
