import fs from 'fs'
import os from 'os'
import path from 'path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import type { ApexNode } from '../../src/store/store.port'

/**
 * The reads the SQLite store answers at once, without a promise (`changeStampsNow`,
 * `holdsIdNow`): the same answers as their async forms, and none while a transaction of another
 * caller is open (what it has written is not yet for others to see, and their async forms wait
 * for it).
 */
describe('SQLite reads answered at once', () => {
  let dir: string
  let store: SqliteStore
  const note = (id: string): ApexNode => ({ id, type: 'Note', attributedTo: ['https://peer.example/u/p'] } as unknown as ApexNode)

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-at-once-'))
    store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  })

  afterEach(async () => {
    await store.shutdown()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('answer what the async reads answer', async () => {
    await store.saveObject(note('https://peer.example/o/held'))
    expect(store.holdsIdNow('https://peer.example/o/held')).toBe(true)
    expect(store.holdsIdNow('https://peer.example/o/absent')).toBe(false)
    const before = store.changeStampsNow()
    expect(before).toEqual(await store.changeStamps())
    // A write moves them at once, as it does for `changeStamps`.
    await store.saveObject(note('https://peer.example/o/second'))
    const after = store.changeStampsNow()
    expect(after).toEqual(await store.changeStamps())
    expect(after?.documents).not.toBe(before?.documents)
  })

  it('answer nothing while another caller\'s transaction is open, and inside it what it wrote', async () => {
    let release!: () => void
    let inside: { held?: boolean, stamps?: unknown } = {}
    const open = store.transaction(async () => {
      await store.saveObject(note('https://peer.example/o/in-transaction'))
      inside = { held: store.holdsIdNow('https://peer.example/o/in-transaction'), stamps: store.changeStampsNow() }
      await new Promise<void>(resolve => { release = resolve })
    })
    await new Promise(resolve => setImmediate(resolve))
    expect(inside.held).toBe(true)
    expect(inside.stamps).not.toBeNull()
    expect(store.holdsIdNow('https://peer.example/o/in-transaction')).toBeUndefined()
    expect(store.changeStampsNow()).toBeNull()
    release()
    await open
    expect(store.holdsIdNow('https://peer.example/o/in-transaction')).toBe(true)
    expect(store.changeStampsNow()).toEqual(await store.changeStamps())
  })
})
