import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import type { ApexNode, ChangeStamps } from '../../src/store/store.port'

/** The next turn of the event loop: the turn's read transaction has ended by then. */
const nextTurn = async (): Promise<void> => await new Promise(resolve => setImmediate(resolve))

const ACTOR = 'https://peer.example/u/p'
const INBOX = 'https://hub.test/u/alpha/inbox'

const node = (id: string, extra: Record<string, unknown> = {}): ApexNode => ({ id, type: 'Note', content: ['x'], ...extra } as unknown as ApexNode)

describe('SQLite change stamps', () => {
  let dir: string
  let file: string
  let store: SqliteStore

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-stamps-'))
    file = path.join(dir, 'hub.sqlite')
    store = new SqliteStore(file)
  })

  afterEach(async () => {
    await store.shutdown()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Runs `write` and answers which stamps it moved, each read in a turn of its own. */
  const moved = async (write: () => Promise<unknown>): Promise<Array<keyof ChangeStamps>> => {
    await nextTurn()
    const before = await store.changeStamps()
    await write()
    await nextTurn()
    const after = await store.changeStamps()
    return (Object.keys(before) as Array<keyof ChangeStamps>).filter(k => before[k] !== after[k])
  }

  it('stay the same while nothing is written', async () => {
    expect(await moved(async () => await store.getObject('https://peer.example/o/none'))).toEqual([])
  })

  it('move `documents` on every write to an object, and on a received activity\'s document changed or removed', async () => {
    expect(await moved(async () => await store.saveObject(node('https://peer.example/o/1')))).toEqual(['documents'])
    expect(await moved(async () => await store.updateObject(node('https://peer.example/o/1', { content: ['y'] }), null, true))).toEqual(['documents'])
    const create = { id: 'https://peer.example/a/1', type: 'Create', actor: [ACTOR], object: [node('https://peer.example/o/2')], _meta: { collection: [INBOX] } } as unknown as ApexNode
    await store.saveActivity(create)
    expect(await moved(async () => await store.updateActivity({ ...create, published: ['2026-01-01T00:00:00Z'] } as unknown as ApexNode, false))).toEqual(['documents'])
    expect(await moved(async () => await store.removeActivity({ id: create.id }, ACTOR))).toEqual(['documents'])
  })

  it('move `domainBlocks` when a block is added or lifted, and nothing else', async () => {
    expect(await moved(async () => await store.domainBlocks.add({ domain: 'spam.example', reason: '', createdAt: '2026-01-01T00:00:00.000Z' }))).toEqual(['domainBlocks'])
    expect(await moved(async () => await store.domainBlocks.remove('spam.example'))).toEqual(['domainBlocks'])
  })

  it('move `blockedCollections` when an activity joins or leaves a co-op\'s blocked collection, or its document changes there', async () => {
    const coop = 'https://hub.test/u/alpha'
    const blocked = `${coop}/blocked`
    const doc = { id: `${coop}/blocks/1`, type: 'Block', actor: [coop], object: [ACTOR] }
    const block = { ...doc, _meta: { collection: [`${coop}/outbox`, blocked] } } as unknown as ApexNode
    expect(await moved(async () => await store.saveActivity(block))).toEqual(['blockedCollections'])
    expect(await moved(async () => await store.updateActivity({ ...doc, object: ['https://peer.example/u/q'] } as unknown as ApexNode, false)))
      .toEqual(['documents', 'blockedCollections'])
    expect(await moved(async () => await store.updateActivityMeta(block, 'collection', blocked, true))).toEqual(['blockedCollections'])
    // Out of the blocked collection, a change of its document is no block list's business.
    expect(await moved(async () => await store.updateActivity(doc as unknown as ApexNode, false))).toEqual(['documents'])
    expect(await moved(async () => await store.updateActivityMeta(block, 'collection', blocked, false))).toEqual(['blockedCollections'])
    // Removed, the activity's memberships go with it.
    expect(await moved(async () => await store.removeActivity({ id: block.id }, coop))).toEqual(['documents', 'blockedCollections'])
  })

  it('do not move `blockedCollections` for an activity in any other collection', async () => {
    const follow = { id: 'https://peer.example/a/f', type: 'Follow', actor: [ACTOR], object: ['https://hub.test/u/alpha'], _meta: { collection: [INBOX, 'https://hub.test/u/alpha/followers'] } } as unknown as ApexNode
    expect(await moved(async () => await store.saveActivity(follow))).toEqual([])
    expect(await moved(async () => await store.removeActivity({ id: follow.id }, ACTOR))).toEqual(['documents'])
  })

  it('do not move when an activity nothing handles is received (the inbox reads them on every request)', async () => {
    const note = node('https://peer.example/o/3')
    const create = { id: 'https://peer.example/a/3', type: 'Create', actor: [ACTOR], object: [note], _meta: { collection: [INBOX] } }
    const key = { sender: ACTOR, activityId: create.id, recipientId: 'https://hub.test/u/alpha' }
    expect(await moved(async () => {
      expect(await store.inboxJournal.receive([{ key, inbox: INBOX, object: note, activity: create as unknown as ApexNode, settled: true }], store.processes.selfId))
        .toEqual([{ claim: 'claimed', isNew: true }])
    })).toEqual([])
  })

  it('show this store\'s own write at once, within the same turn', async () => {
    const before = await store.changeStamps()
    await store.saveObject(node('https://peer.example/o/4'))
    expect((await store.changeStamps()).documents).not.toBe(before.documents)
  })

  it('show another process\'s write from the next turn on, as every read of the store does', async () => {
    const other = new Database(file)
    try {
      const before = await store.changeStamps()
      other.prepare("INSERT INTO objects (id, type, doc) VALUES ('https://peer.example/o/5', 'Note', '{}')").run()
      expect((await store.changeStamps()).documents).toBe(before.documents)
      await nextTurn()
      expect((await store.changeStamps()).documents).not.toBe(before.documents)
    } finally {
      other.close()
    }
  })
})
