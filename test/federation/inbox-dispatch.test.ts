/**
 * Typed inbox dispatch: one handler per (activity type, object type) pair, a duplicate pair
 * refused at start, events in order per object and side by side across objects. The last part
 * registers the hub's real feature handlers and sends one activity per registered pair.
 */
import pino from 'pino'
import { DuplicateInboxHandlerError } from '../../src/errors/inbox-registry-error'
import { InboxDispatcher } from '../../src/federation/inbox/inbox-dispatcher'
import { InboxEvent, InboxHandlerTable, InboxRegistry } from '../../src/federation/inbox/inbox-registry'
import { registerFeatureInboxes } from '../../src/hub-context'
import type { ApexNode } from '../../src/store/store.port'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

const logger = pino({ level: 'silent' })
const actor: ApexNode = { id: 'https://peer.example/u/alice', type: 'Organization' }
const recipient: ApexNode = { id: 'https://hub.example/u/one', type: 'Organization' }
let serial = 0

function eventOf (type: string, object: ApexNode | string | undefined): InboxEvent {
  const activity: ApexNode = { id: `https://peer.example/activities/${++serial}`, type, actor: actor.id }
  if (object !== undefined) activity.object = [object]
  return { actor, recipient, activity, object: typeof object === 'object' ? object : undefined }
}

/** A promise and the function that resolves it. */
function deferred (): { promise: Promise<void>, resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>(r => { resolve = r })
  return { promise, resolve }
}

describe('the inbox handler table', () => {
  it('refuses a second handler for a pair, whatever its case, and names the pair', () => {
    const table = new InboxHandlerTable().on('Offer', 'ioo:Pledge', async () => {})
    expect(() => table.on('Offer', 'ioo:Pledge', async () => {})).toThrow(DuplicateInboxHandlerError)
    expect(() => table.on('offer', 'IOO:PLEDGE', async () => {})).toThrow(/\(offer, IOO:PLEDGE\)/)
    // Another object type for the same activity type is another pair.
    table.on('Offer', 'ioo:MemberExchangeAgreement', async () => {})
    expect(table.pairs()).toEqual([{ activityType: 'Offer', objectType: 'ioo:Pledge' }, { activityType: 'Offer', objectType: 'ioo:MemberExchangeAgreement' }])
  })
})

describe('the inbox dispatcher', () => {
  function recordingDispatcher (pairs: Array<[string, string]>): { dispatcher: InboxDispatcher, runs: string[] } {
    const runs: string[] = []
    const table = new InboxHandlerTable()
    for (const [a, o] of pairs) table.on(a, o, async () => { runs.push(`${a} ${o}`) })
    return { dispatcher: new InboxDispatcher(table, logger), runs }
  }

  it('runs only the most specific handler: nested pair, then the object type, then *', async () => {
    const { dispatcher, runs } = recordingDispatcher([['Accept', 'Offer(ioo:Pledge)'], ['Accept', 'Offer'], ['Accept', '*']])
    const pledge = { type: ['vf:Agreement', 'ioo:Pledge'], context: 'https://peer.example/pools/1' }
    await dispatcher.dispatch(eventOf('Accept', { id: 'https://hub.example/offers/1', type: 'Offer', object: [pledge] }))
    await dispatcher.dispatch(eventOf('Accept', { id: 'https://hub.example/offers/2', type: 'Offer', object: ['https://hub.example/x'] }))
    await dispatcher.dispatch(eventOf('Accept', { id: 'https://hub.example/follows/1', type: 'Follow', object: [actor.id] }))
    expect(runs).toEqual(['Accept Offer(ioo:Pledge)', 'Accept Offer', 'Accept *'])
  })

  it('takes the object embedded in the activity when the inbox resolved none (an Offer)', async () => {
    const { dispatcher, runs } = recordingDispatcher([['Offer', 'ioo:Pledge'], ['Offer', 'ioo:MemberExchangeAgreement']])
    const event = eventOf('Offer', { id: 'https://peer.example/agreements/1', type: ['vf:Agreement', 'ioo:MemberExchangeAgreement'] })
    delete event.object
    await dispatcher.dispatch(event)
    expect(runs).toEqual(['Offer ioo:MemberExchangeAgreement'])
  })

  it('routes an activity whose object the inbox left as a bare id (an Add of an actor it did not fetch) to *', async () => {
    const { dispatcher, runs } = recordingDispatcher([['Add', '*']])
    const event = eventOf('Add', 'https://peer.example/u/gamma')
    await dispatcher.dispatch({ ...event, object: 'https://peer.example/u/gamma' as unknown as ApexNode })
    expect(runs).toEqual(['Add *'])
  })

  it('stores and acknowledges an activity no feature handles: no handler runs, dispatch resolves', async () => {
    const { dispatcher, runs } = recordingDispatcher([['Create', 'ioo:HostedService']])
    await dispatcher.dispatch(eventOf('Create', { id: 'https://peer.example/notes/1', type: 'Note' }))
    await dispatcher.dispatch(eventOf('Like', 'https://peer.example/notes/1'))
    await dispatcher.idle()
    expect(runs).toEqual([])
  })


  it('routes an event whose object the inbox handed over as a bare IRI (an Add of an actor), and the Join of a local actor by the recipient', async () => {
    const { dispatcher, runs } = recordingDispatcher([['Add', '*'], ['Join', 'Organization']])
    const add = eventOf('Add', 'https://peer.example/u/bob')
    add.object = 'https://peer.example/u/bob' as unknown as ApexNode
    await dispatcher.dispatch(add)
    await dispatcher.dispatch(eventOf('Join', recipient.id))
    await dispatcher.idle()
    expect(runs).toEqual(['Add *', 'Join Organization'])
  })
  it('runs a handler only for the events its filter takes, and no less specific pair instead', async () => {
    const runs: string[] = []
    const table = new InboxHandlerTable()
      .on('Create', 'Note', async ({ object }) => { runs.push(`note ${object?.id ?? ''}`) }, ({ object }) => object !== undefined && 'context' in object)
      .on('Create', '*', async () => { runs.push('any') })
    const dispatcher = new InboxDispatcher(table, logger)
    const plain = eventOf('Create', { id: 'https://peer.example/notes/plain', type: 'Note' })
    const inContext = eventOf('Create', { id: 'https://peer.example/notes/ctx', type: 'Note', context: 'https://peer.example/projects/1' })
    expect(dispatcher.routeFor(plain)).toBeUndefined()
    expect(dispatcher.routeFor(inContext)?.objectType).toBe('Note')
    // The filter sees the object the handler would get, also when the inbox resolved none.
    expect(dispatcher.routeFor({ ...inContext, object: undefined })?.objectType).toBe('Note')
    await dispatcher.dispatch(plain)
    await dispatcher.dispatch(inContext)
    expect(runs).toEqual(['note https://peer.example/notes/ctx'])
  })

  it('logs a failing handler and goes on with the next event of the same object', async () => {
    const runs: string[] = []
    const table = new InboxHandlerTable()
      .on('Create', 'Note', async () => { throw new Error('boom') })
      .on('Update', 'Note', async () => { runs.push('update') })
    const dispatcher = new InboxDispatcher(table, logger)
    const note = { id: 'https://peer.example/notes/2', type: 'Note' }
    await expect(dispatcher.dispatch(eventOf('Create', note))).resolves.toBeUndefined()
    await dispatcher.dispatch(eventOf('Update', note))
    expect(runs).toEqual(['update'])
  })

  it('applies a Create and a quick Update of one object in order, even when the Create is slow', async () => {
    const gate = deferred()
    const applied: string[] = []
    const table = new InboxHandlerTable()
      .on('Create', 'Note', async () => { await gate.promise; applied.push('create') })
      .on('Update', 'Note', async () => { applied.push('update') })
    const dispatcher = new InboxDispatcher(table, logger)
    const note = { id: 'https://peer.example/notes/3', type: 'Note' }
    const created = dispatcher.dispatch(eventOf('Create', note))
    const updated = dispatcher.dispatch(eventOf('Update', note))
    await new Promise(resolve => setImmediate(resolve))
    expect(applied).toEqual([])
    gate.resolve()
    await Promise.all([created, updated])
    expect(applied).toEqual(['create', 'update'])
  })

  it('keeps the answers and withdrawal of a pledge behind its Offer (ordered by the pool the pledge is for)', async () => {
    const gate = deferred()
    const applied: string[] = []
    const table = new InboxHandlerTable()
      .on('Offer', 'ioo:Pledge', async () => { await gate.promise; applied.push('offer') })
      .on('Undo', 'Offer(ioo:Pledge)', async () => { applied.push('undo') })
    const dispatcher = new InboxDispatcher(table, logger)
    const pledge = { type: ['vf:Agreement', 'ioo:Pledge'], context: 'https://hub.example/pools/7' }
    const offer = eventOf('Offer', pledge as unknown as ApexNode)
    delete offer.object
    const offered = dispatcher.dispatch(offer)
    const undone = dispatcher.dispatch(eventOf('Undo', { ...offer.activity, object: [pledge] }))
    await new Promise(resolve => setImmediate(resolve))
    gate.resolve()
    await Promise.all([offered, undone])
    expect(applied).toEqual(['offer', 'undo'])
  })

  it('does not hold an object behind a slow handler of another object', async () => {
    const gate = deferred()
    const applied: string[] = []
    const table = new InboxHandlerTable()
      .on('Create', 'Note', async ({ object }) => {
        if (object?.id.endsWith('/a')) await gate.promise
        applied.push(object?.id ?? '')
      })
    const dispatcher = new InboxDispatcher(table, logger)
    const slow = dispatcher.dispatch(eventOf('Create', { id: 'https://peer.example/notes/a', type: 'Note' }))
    await dispatcher.dispatch(eventOf('Create', { id: 'https://peer.example/notes/b', type: 'Note' }))
    expect(applied).toEqual(['https://peer.example/notes/b'])
    let idle = false
    const waiting = dispatcher.idle().then(() => { idle = true })
    await new Promise(resolve => setImmediate(resolve))
    expect(idle).toBe(false)
    gate.resolve()
    await Promise.all([slow, waiting])
    expect(applied).toEqual(['https://peer.example/notes/b', 'https://peer.example/notes/a'])
  })
})

describe('the hub\'s registered inbox handlers', () => {
  let hub: TestHub
  beforeAll(async () => { hub = await startTestHub() })
  afterAll(async () => { await hub.stop() })

  /** Registers the features' handlers as the hub does, each replaced by one that records its pair. */
  function recordedFeatureTable (runs: string[]): InboxHandlerTable {
    const table = new InboxHandlerTable()
    const recording: InboxRegistry = {
      on (activityType, objectType) {
        table.on(activityType, objectType, async () => { runs.push(`${activityType} ${objectType}`) })
        return this
      }
    }
    registerFeatureInboxes(recording, hub.hub)
    return table
  }

  it('registers the same pairs the running hub uses', () => {
    expect(recordedFeatureTable([]).pairs()).toEqual(hub.hub.inboxHandlers.pairs())
  })

  it('throws at start when a pair is registered twice', () => {
    const table = new InboxHandlerTable()
    registerFeatureInboxes(table, hub.hub)
    expect(() => registerFeatureInboxes(table, hub.hub)).toThrow(DuplicateInboxHandlerError)
  })

  it('runs exactly one handler, the pair\'s own, for one activity of each registered pair', async () => {
    const runs: string[] = []
    const table = recordedFeatureTable(runs)
    const dispatcher = new InboxDispatcher(table, logger)
    const pairs = table.pairs()
    expect(pairs.length).toBeGreaterThanOrEqual(20)
    for (const { activityType, objectType } of pairs) {
      runs.length = 0
      const nested = /^(.+)\((.+)\)$/.exec(objectType)
      const id = `https://peer.example/objects/${++serial}`
      const object: ApexNode | undefined = objectType === '*'
        ? undefined
        : nested ? { id, type: nested[1], object: [{ type: nested[2] }] } : { id, type: objectType }
      await dispatcher.dispatch(eventOf(activityType, object ?? id))
      expect({ pair: `${activityType} ${objectType}`, runs }).toEqual({ pair: `${activityType} ${objectType}`, runs: [`${activityType} ${objectType}`] })
    }
  })
})
