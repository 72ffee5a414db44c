/**
 * Contract for the federation-safety repositories: domain blocks, the inbox journal and the
 * delivery controls (ordering, postponement, leases, per-host view). Every adapter passes it.
 */
import type { DeliveryFailure, HubStore } from '../../src/store/store.port'
import type { InboxKey } from '../../src/store/ports/inbox-journal.port'
import { claimed, waiting } from './store.fixtures'

/**
 * What the suite uses of a store: the repositories, the delivery queue, and the reads of apex's
 * documents that show what the inbox journal stored. The queue's counts may answer a Promise (a
 * networked store), so the suite awaits them.
 */
export type FederationSafetyStore = Pick<HubStore, 'domainBlocks' | 'inboxJournal' | 'deliveryControl' | 'deliveryEnqueue' | 'deliveryDequeue' |
'deliveryReschedule' | 'deliveryComplete' | 'deliveryFail' | 'close' | 'getObject' | 'getActivity' | 'removeActivity' | 'updateObject' |
'updateActivityMeta'> & {
  processes: Pick<HubStore['processes'], 'selfId'>
  deliveryQueueSize: () => number | Promise<number>
  listDeliveryFailures: (limit: number) => DeliveryFailure[] | Promise<DeliveryFailure[]>
}

const ACTOR = 'https://hub.test/u/alpha'
const HOUR = 3_600_000

/** Registers the contract for one adapter; `makeStore` gives a fresh store per test. */
export function describeFederationSafetyContract (adapterName: string, makeStore: () => FederationSafetyStore): void {
  describe(`federation safety repositories: ${adapterName}`, () => {
    let store: FederationSafetyStore
    beforeEach(() => { store = makeStore() })
    afterEach(() => store.close())

    describe('domain blocks', () => {
      it('adds, lists, finds by candidate and removes blocks; a second add updates the reason', async () => {
        expect(await store.domainBlocks.add({ domain: 'spam.example', reason: 'spam', createdAt: '2026-01-01T00:00:00.000Z' })).toEqual({ created: true, deliveriesEnded: 0 })
        expect(await store.domainBlocks.add({ domain: 'spam.example', reason: 'lots of spam', createdAt: '2026-02-01T00:00:00.000Z' })).toEqual({ created: false, deliveriesEnded: 0 })
        await store.domainBlocks.add({ domain: 'a.example:8443', reason: '', createdAt: '2026-01-02T00:00:00.000Z' })
        expect(await store.domainBlocks.list()).toEqual([
          { domain: 'a.example:8443', reason: '', createdAt: '2026-01-02T00:00:00.000Z' },
          { domain: 'spam.example', reason: 'lots of spam', createdAt: '2026-01-01T00:00:00.000Z' }
        ])
        expect(await store.domainBlocks.findAny(['x.spam.example', 'spam.example', 'example'])).toMatchObject({ domain: 'spam.example' })
        expect(await store.domainBlocks.findAny(['other.example', 'example'])).toBeNull()
        expect(await store.domainBlocks.findAny([])).toBeNull()
        expect(await store.domainBlocks.remove('spam.example')).toBe(true)
        expect(await store.domainBlocks.remove('spam.example')).toBe(false)
        expect((await store.domainBlocks.list()).map(b => b.domain)).toEqual(['a.example:8443'])
      })

      it('ends the queued deliveries a new block covers, in the same transaction, and records why', async () => {
        await store.deliveryControl.enqueue(ACTOR, '{}', ['https://social.spam.example/inbox', 'https://spam.example:444/inbox', 'https://fine.example/inbox'], null)
        expect(await store.domainBlocks.add({ domain: 'spam.example', reason: '', createdAt: new Date().toISOString() })).toEqual({ created: true, deliveriesEnded: 2 })
        expect(await store.deliveryQueueSize()).toBe(1)
        expect((await store.listDeliveryFailures(10)).map(f => f.reason)).toEqual([expect.stringMatching(/spam\.example is blocked/), expect.stringMatching(/spam\.example is blocked/)])
      })
    })

    describe('inbox journal', () => {
      it('records, reports and finishes entries per activity and recipient', async () => {
        const key = { sender: 'https://p.example/u/p', activityId: 'https://p.example/a/1', recipientId: ACTOR }
        await store.inboxJournal.begin(key)
        await store.inboxJournal.begin(key)
        await store.inboxJournal.begin({ ...key, recipientId: 'https://hub.test/u/beta' })
        expect(await store.inboxJournal.isPending(key)).toBe(true)
        expect(await store.inboxJournal.isPending({ ...key, sender: 'https://other.example/u/m' })).toBe(false)
        expect((await store.inboxJournal.listPending(10)).map(e => e.recipientId).sort()).toEqual([ACTOR, 'https://hub.test/u/beta'])
        await store.inboxJournal.finish(key)
        expect(await store.inboxJournal.isPending(key)).toBe(false)
        expect(await store.inboxJournal.listPending(10)).toEqual([{ sender: 'https://p.example/u/p', activityId: 'https://p.example/a/1', recipientId: 'https://hub.test/u/beta', receivedAt: expect.any(String) }])
      })

      it('receives several activities in one call: claims each, stores the claimed with their objects, and refuses repeats', async () => {
        const owner = store.processes.selfId
        const inbox = `${ACTOR}/inbox`
        const otherInbox = 'https://hub.test/u/beta/inbox'
        const note = { id: 'https://p.example/o/1', type: 'Note', content: 'hello' }
        const create = { id: 'https://p.example/a/1', type: 'Create', actor: ['https://p.example/u/p'], object: [note], _meta: { collection: [inbox] } }
        const key = { sender: 'https://p.example/u/p', activityId: create.id, recipientId: ACTOR }
        const beta = { ...key, recipientId: 'https://hub.test/u/beta' }
        const results = await store.inboxJournal.receive([
          { key, inbox, object: note, activity: create },
          { key, inbox, object: note, activity: create },
          { key: beta, inbox: otherInbox, activity: { ...create, _meta: { collection: [otherInbox] } } }
        ], owner)
        expect(results).toEqual([
          { claim: 'claimed', isNew: true },
          { claim: 'busy' },
          { claim: 'claimed', isNew: 'new collection', activity: expect.objectContaining({ id: create.id }) }
        ])
        expect((results[2] as unknown as { activity: { _meta: { collection: string[] } } }).activity._meta.collection).toEqual([inbox, otherInbox])
        expect(await store.getObject(note.id)).toMatchObject({ content: 'hello' })
        expect((await store.getActivity(create.id, true))?._meta?.collection).toEqual([inbox, otherInbox])
        expect(await store.inboxJournal.isPending(key)).toBe(true)

        await store.inboxJournal.finishMany([key, beta])
        expect(await store.inboxJournal.listPending(10)).toEqual([])
        expect(await store.inboxJournal.wasProcessed(key)).toBe(true)
        expect(await store.inboxJournal.wasProcessed(beta)).toBe(true)
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create }], owner)).toEqual([{ claim: 'done' }])
      })

      it('settles a receipt no handler runs for in its one write: processed at once, no entry to close; reopened, it is an entry no process holds', async () => {
        const owner = store.processes.selfId
        const inbox = `${ACTOR}/inbox`
        const note = { id: 'https://p.example/o/settled', type: 'Note', content: 'just a post' }
        const create = { id: 'https://p.example/a/settled', type: 'Create', actor: ['https://p.example/u/p'], object: [note], _meta: { collection: [inbox] } }
        const key = { sender: 'https://p.example/u/p', activityId: create.id, recipientId: ACTOR }
        expect(await store.inboxJournal.receive([{ key, inbox, object: note, activity: create, settled: true }], owner)).toEqual([{ claim: 'claimed', isNew: true }])
        expect(await store.inboxJournal.isPending(key)).toBe(false)
        expect(await store.inboxJournal.wasProcessed(key)).toBe(true)
        expect(await store.getObject(note.id)).toMatchObject({ content: 'just a post' })
        expect((await store.getActivity(create.id, true))?._meta?.collection).toEqual([inbox])
        // A repeat is a repeat, settled or not.
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create, settled: true }], owner)).toEqual([{ claim: 'done' }])
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create }], owner)).toEqual([{ claim: 'done' }])

        // Its processing failed before the event: as an abandoned entry, any process may finish it.
        await store.inboxJournal.reopen(key)
        expect(await store.inboxJournal.wasProcessed(key)).toBe(false)
        expect(await store.inboxJournal.listUnowned(10)).toEqual([expect.objectContaining(key)])
        // A redelivery takes it over, settled again: no entry is left.
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create, settled: true }], owner)).toEqual([
          { claim: 'claimed', isNew: 'new collection', activity: expect.objectContaining({ id: create.id }) }
        ])
        expect(await store.inboxJournal.listPending(10)).toEqual([])
        expect(await store.inboxJournal.wasProcessed(key)).toBe(true)
      })

      it('answers a settled repeat of an activity its inbox holds as done, leaving its collections as they were; another inbox still takes it in', async () => {
        const owner = store.processes.selfId
        const inbox = `${ACTOR}/inbox`
        const note = { id: 'https://p.example/o/settled-repeat', type: 'Note', content: 'once' }
        const create = { id: 'https://p.example/a/settled-repeat', type: 'Create', actor: ['https://p.example/u/p'], object: [note], _meta: { collection: [inbox] } }
        const key = { sender: 'https://p.example/u/p', activityId: create.id, recipientId: ACTOR }
        expect(await store.inboxJournal.receive([{ key, inbox, object: note, activity: create, settled: true }], owner)).toEqual([{ claim: 'claimed', isNew: true }])
        // Twice in one batch and once more alone, with and without its object: each a repeat.
        expect(await store.inboxJournal.receive([
          { key, inbox, activity: create, settled: true },
          { key, inbox, object: note, activity: create, settled: true }
        ], owner)).toEqual([{ claim: 'done' }, { claim: 'done' }])
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create, settled: true }], owner)).toEqual([{ claim: 'done' }])
        expect((await store.getActivity(create.id, true))?._meta?.collection).toEqual([inbox])
        // The same activity for another recipient is new to that inbox.
        const beta = 'https://hub.example/u/beta'
        const betaInbox = `${beta}/inbox`
        expect(await store.inboxJournal.receive([{ key: { ...key, recipientId: beta }, inbox: betaInbox, activity: { ...create, _meta: { collection: [betaInbox] } }, settled: true }], owner)).toEqual([
          { claim: 'claimed', isNew: 'new collection', activity: expect.objectContaining({ id: create.id }) }
        ])
        expect((await store.getActivity(create.id, true))?._meta?.collection).toEqual([inbox, betaInbox])
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create, settled: true }], owner)).toEqual([{ claim: 'done' }])
      })

      it('remembers a settled receipt as processed when its activity names another actor than the sender: the row cannot say so', async () => {
        const owner = store.processes.selfId
        const inbox = `${ACTOR}/inbox`
        const note = { id: 'https://p.example/o/relayed', type: 'Note', content: 'relayed' }
        const create = { id: 'https://p.example/a/relayed', type: 'Create', actor: ['https://p.example/u/author'], object: [note], _meta: { collection: [inbox] } }
        const key = { sender: 'https://p.example/u/relay', activityId: create.id, recipientId: ACTOR }
        expect(await store.inboxJournal.receive([{ key, inbox, object: note, activity: create, settled: true }], owner)).toEqual([{ claim: 'claimed', isNew: true }])
        expect(await store.inboxJournal.wasProcessed(key)).toBe(true)
        expect(await store.inboxJournal.receive([{ key, inbox, activity: create, settled: true }], owner)).toEqual([{ claim: 'done' }])
      })

      it('keeps a settled receipt once: its object inside the activity, read and updated from there', async () => {
        const owner = store.processes.selfId
        const inbox = `${ACTOR}/inbox`
        const sender = 'https://p.example/u/p'
        const note = { id: 'https://p.example/o/held', type: 'Note', attributedTo: sender, content: 'held once' }
        const create = { id: 'https://p.example/a/held', type: 'Create', actor: [sender], object: [note], _meta: { collection: [inbox] } }
        const key = { sender, activityId: create.id, recipientId: ACTOR }
        expect(await store.inboxJournal.receive([{ key, inbox, object: note, activity: create, settled: true }], owner)).toEqual([{ claim: 'claimed', isNew: true }])
        expect(await store.getObject(note.id)).toEqual(note)
        // An update of it (the author's Update) is applied as to any stored object, copies included.
        expect(await store.updateObject({ id: note.id, type: 'Note', content: 'edited' }, sender, false)).toEqual({ ...note, content: 'edited' })
        expect(await store.getObject(note.id)).toEqual({ ...note, content: 'edited' })
        expect((await store.getActivity(create.id))?.object).toEqual([{ ...note, content: 'edited' }])
        // An object no Create holds is still unknown, and so is an update of it.
        expect(await store.getObject('https://p.example/o/unknown')).toBeNull()
        expect(await store.updateObject({ id: 'https://p.example/o/unknown', type: 'Note', content: 'x' }, sender, false)).toBeUndefined()
        // Only an actor's own objects are read from its activity: one of another origin keeps a
        // row of its own, as before, and outlives the activity; the actor's own goes with it.
        const foreign = { id: 'https://elsewhere.example/o/1', type: 'Note', content: 'from elsewhere' }
        const carried = { id: 'https://p.example/a/carried', type: 'Create', actor: [sender], object: [foreign], _meta: { collection: [inbox] } }
        expect(await store.inboxJournal.receive([{ key: { ...key, activityId: carried.id }, inbox, object: foreign, activity: carried, settled: true }], owner))
          .toEqual([{ claim: 'claimed', isNew: true }])
        expect(await store.removeActivity({ id: carried.id }, sender)).toEqual({ deletedCount: 1 })
        expect(await store.getObject(foreign.id)).toEqual(foreign)
        const own = { id: 'https://p.example/o/own', type: 'Note', content: 'own' }
        const ownCreate = { id: 'https://p.example/a/own', type: 'Create', actor: [sender], object: [own], _meta: { collection: [inbox] } }
        await store.inboxJournal.receive([{ key: { ...key, activityId: ownCreate.id }, inbox, object: own, activity: ownCreate, settled: true }], owner)
        expect(await store.getObject(own.id)).toEqual(own)
        expect(await store.removeActivity({ id: ownCreate.id }, sender)).toEqual({ deletedCount: 1 })
        expect(await store.getObject(own.id)).toBeNull()
      })

      it('knows a settled receipt as processed per recipient, and still after its activity is removed, until pruned', async () => {
        const owner = store.processes.selfId
        const sender = 'https://p.example/u/p'
        const beta = 'https://hub.test/u/beta'
        const note = { id: 'https://p.example/o/undone', type: 'Note', content: 'soon undone' }
        const create = { id: 'https://p.example/a/undone', type: 'Create', actor: [sender], object: [note], _meta: { collection: [`${ACTOR}/inbox`] } }
        const forAlpha = { key: { sender, activityId: create.id, recipientId: ACTOR }, inbox: `${ACTOR}/inbox`, object: note, activity: create, settled: true }
        const forBeta = { key: { sender, activityId: create.id, recipientId: beta }, inbox: `${beta}/inbox`, object: note, activity: create, settled: true }
        const forGamma = { sender, activityId: create.id, recipientId: 'https://hub.test/u/gamma' }
        expect(await store.inboxJournal.receive([forAlpha], owner)).toEqual([{ claim: 'claimed', isNew: true }])
        expect(await store.inboxJournal.wasProcessed(forAlpha.key)).toBe(true)
        expect(await store.inboxJournal.wasProcessed(forBeta.key)).toBe(false)
        expect(await store.inboxJournal.receive([forBeta], owner)).toEqual([{ claim: 'claimed', isNew: 'new collection', activity: expect.objectContaining({ id: create.id }) }])
        expect(await store.inboxJournal.wasProcessed(forBeta.key)).toBe(true)
        expect(await store.inboxJournal.wasProcessed(forGamma)).toBe(false)
        // Another sender under the same id is not this activity's sender.
        expect(await store.inboxJournal.wasProcessed({ ...forAlpha.key, sender: 'https://p.example/u/q' })).toBe(false)

        // Taken out of one inbox, removed altogether (an Undo): a replay is still a repeat for both.
        await store.updateActivityMeta({ id: create.id }, 'collection', `${beta}/inbox`, true)
        expect(await store.inboxJournal.wasProcessed(forBeta.key)).toBe(true)
        expect(await store.removeActivity({ id: create.id }, sender)).toEqual({ deletedCount: 1 })
        expect(await store.getActivity(create.id)).toBeNull()
        expect(await store.inboxJournal.wasProcessed(forAlpha.key)).toBe(true)
        expect(await store.inboxJournal.receive([forAlpha, forBeta], owner)).toEqual([{ claim: 'done' }, { claim: 'done' }])
        expect(await store.getActivity(create.id)).toBeNull()
        // Forgotten once pruned, like any processed activity: then a delivery is new again.
        expect(await store.inboxJournal.pruneProcessed(new Date(Date.now() + HOUR))).toBe(2)
        expect(await store.inboxJournal.wasProcessed(forAlpha.key)).toBe(false)
        expect(await store.inboxJournal.receive([forAlpha], owner)).toEqual([{ claim: 'claimed', isNew: true }])
      })

      it('rolls back a settled receipt that fails with its processed mark', async () => {
        const owner = store.processes.selfId
        const inbox = `${ACTOR}/inbox`
        const key = { sender: 'https://p.example/u/p', activityId: 'https://p.example/a/settled-bad', recipientId: ACTOR }
        const circular: Record<string, unknown> = { id: key.activityId, type: 'Create' }
        circular.self = circular
        const results = await store.inboxJournal.receive([{ key, inbox, activity: circular as { id: string }, settled: true }], owner)
        expect(results[0].claim).toBe('error')
        expect(await store.inboxJournal.wasProcessed(key)).toBe(false)
        expect(await store.inboxJournal.isPending(key)).toBe(false)
      })

      /** A receipt that can be stored and one that cannot (its activity refers to itself), from one sender to ACTOR's inbox. */
      function goodAndFailing (goodNumber: number, failingNumber: number): { inbox: string, good: { id: string }, goodKey: InboxKey, badKey: InboxKey, circular: { id: string } } {
        const inbox = `${ACTOR}/inbox`
        const good = { id: `https://p.example/a/${goodNumber}`, type: 'Create', actor: ['https://p.example/u/p'], _meta: { collection: [inbox] } }
        const badKey = { sender: 'https://p.example/u/p', activityId: `https://p.example/a/${failingNumber}`, recipientId: ACTOR }
        const circular: Record<string, unknown> = { id: badKey.activityId, type: 'Create' }
        circular.self = circular
        return { inbox, good, goodKey: { sender: 'https://p.example/u/p', activityId: good.id, recipientId: ACTOR }, badKey, circular: circular as { id: string } }
      }

      it('rolls back only the receipt that fails: its claim and object are not kept, the others are', async () => {
        const owner = store.processes.selfId
        const { inbox, good, goodKey, badKey, circular } = goodAndFailing(2, 3)
        const results = await store.inboxJournal.receive([
          { key: badKey, inbox, object: { id: 'https://p.example/o/3', type: 'Note' }, activity: circular },
          { key: goodKey, inbox, activity: good }
        ], owner)
        expect(results[0].claim).toBe('error')
        expect(results[1]).toEqual({ claim: 'claimed', isNew: true })
        expect(await store.inboxJournal.isPending(badKey)).toBe(false)
        expect(await store.getObject('https://p.example/o/3')).toBeNull()
        expect(await store.inboxJournal.isPending(goodKey)).toBe(true)
        expect(await store.getActivity(good.id)).not.toBeNull()
      })

      it('keeps a receipt written before the one that fails once, in the inbox once', async () => {
        const owner = store.processes.selfId
        const { inbox, good, goodKey, badKey, circular } = goodAndFailing(4, 5)
        const results = await store.inboxJournal.receive([
          { key: goodKey, inbox, activity: good, settled: true },
          { key: badKey, inbox, activity: circular, settled: true }
        ], owner)
        expect(results[0]).toEqual({ claim: 'claimed', isNew: true })
        expect(results[1].claim).toBe('error')
        const kept = await store.getActivity(good.id, true)
        expect(kept?._meta?.collection).toEqual([inbox])
        expect(await store.getActivity(badKey.activityId)).toBeNull()
        expect(await store.inboxJournal.wasProcessed(goodKey)).toBe(true)
        expect(await store.inboxJournal.wasProcessed(badKey)).toBe(false)
        // Delivered again, the kept one is a repeat and the failed one is new.
        expect(await store.inboxJournal.receive([{ key: goodKey, inbox, activity: good, settled: true }], owner)).toEqual([{ claim: 'done' }])
      })
    })

    describe('delivery controls', () => {
      it('hands out deliveries of one object to one inbox strictly in order; other inboxes and objects do not wait', async () => {
        await store.deliveryControl.enqueue(ACTOR, '{"type":"Create"}', ['https://a.example/inbox', 'https://b.example/inbox'], 'https://hub.test/o/1')
        await store.deliveryControl.enqueue(ACTOR, '{"type":"Update"}', ['https://a.example/inbox'], 'https://hub.test/o/1')
        await store.deliveryControl.enqueue(ACTOR, '{"type":"Create"}', ['https://a.example/inbox'], 'https://hub.test/o/2')
        const first = claimed(await store.deliveryDequeue())
        const second = claimed(await store.deliveryDequeue())
        const third = claimed(await store.deliveryDequeue())
        expect([first, second, third].map(d => `${d.address} ${d.body}`)).toEqual([
          'https://a.example/inbox {"type":"Create"}', 'https://b.example/inbox {"type":"Create"}', 'https://a.example/inbox {"type":"Create"}'
        ])
        // The Update waits while the Create to the same inbox is queued, even when it failed and is due again.
        await store.deliveryReschedule(first.id, new Date(Date.now() - 1000), 'timeout')
        const retried = claimed(await store.deliveryDequeue())
        expect(retried.id).toBe(first.id)
        expect(waiting(await store.deliveryDequeue()).getTime()).toBeGreaterThan(Date.now())
        await store.deliveryComplete(first.id)
        expect(claimed(await store.deliveryDequeue()).body).toBe('{"type":"Update"}')
      })

      it('postpones a claimed delivery without counting an attempt, and ends it when it is too old', async () => {
        await store.deliveryControl.enqueue(ACTOR, '{}', ['https://down.example/inbox', 'https://down.example/other'], null)
        const a = claimed(await store.deliveryDequeue())
        expect(await store.deliveryControl.postpone(a.id, new Date(Date.now() + HOUR), 2 * HOUR)).toBe('postponed')
        const b = claimed(await store.deliveryDequeue())
        expect(b.id).not.toBe(a.id)
        expect(await store.deliveryControl.postpone(b.id, new Date(Date.now() + HOUR), -1)).toBe('expired')
        expect(await store.deliveryQueueSize()).toBe(1)
        expect(waiting(await store.deliveryDequeue()).getTime()).toBeGreaterThan(Date.now() + HOUR - 60_000)
        expect(await store.listDeliveryFailures(10)).toEqual([expect.objectContaining({ id: b.id, reason: expect.stringMatching(/circuit stayed open/) })])
      })

      it('releases every lease at start-up', async () => {
        await store.deliveryControl.enqueue(ACTOR, '{}', ['https://a.example/inbox', 'https://b.example/inbox'], null)
        claimed(await store.deliveryDequeue())
        claimed(await store.deliveryDequeue())
        expect(await store.deliveryDequeue()).not.toBeNull()
        expect(await store.deliveryControl.releaseAllLeases()).toBe(2)
        claimed(await store.deliveryDequeue())
      })

      it('summarises the queue and the failures per host', async () => {
        await store.deliveryControl.enqueue(ACTOR, '{}', ['https://a.example/inbox', 'https://a.example/u/x/inbox', 'https://b.example/inbox'], null)
        await store.deliveryEnqueue(ACTOR, '{}', 'https://c.example:8443/inbox')
        const d = claimed(await store.deliveryDequeue())
        await store.deliveryReschedule(d.id, new Date(Date.now() + HOUR), '503 busy')
        const e = claimed(await store.deliveryDequeue())
        await store.deliveryFail(e.id, 'the inbox is gone (410)')
        const summary = await store.deliveryControl.hostSummary()
        expect(new Set(summary.map(h => h.host))).toEqual(new Set(['a.example', 'b.example', 'c.example:8443']))
        // Busiest first.
        expect(summary.map(h => h.queued)).toEqual([...summary.map(h => h.queued)].sort((x, y) => y - x))
        const byHost = Object.fromEntries(summary.map(h => [h.host, h]))
        const failedHost = new URL(e.address).host
        expect(byHost[failedHost]).toMatchObject({ failures: 1, lastFailureReason: 'the inbox is gone (410)' })
        expect(byHost[new URL(d.address).host]).toMatchObject({ retrying: 1, lastError: '503 busy' })
        expect(summary.reduce((n, h) => n + h.queued, 0)).toBe(3)
      })
    })
  })
}
