import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import type { ApexNode } from '../../src/store/store.port'

/** The next turn of the event loop: the open read transaction has ended by then. */
const nextTurn = async (): Promise<void> => await new Promise(resolve => setImmediate(resolve))

const note = (id: string): ApexNode => ({ id, type: 'Note', content: ['x'] } as unknown as ApexNode)

describe('SQLite reads within one event-loop turn', () => {
  let dir: string
  let file: string
  let store: SqliteStore
  /** Another connection to the same file, as another hub process or the CLI has. */
  let other: Database.Database

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-turn-reads-'))
    file = path.join(dir, 'hub.sqlite')
    store = new SqliteStore(file)
    other = new Database(file)
    other.pragma('busy_timeout = 5000')
  })

  afterEach(async () => {
    other.close()
    await store.shutdown()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const seenByOther = (id: string): boolean => other.prepare('SELECT 1 FROM objects WHERE id = ?').get(id) !== undefined
  const writeByOther = (id: string): void => {
    other.prepare("INSERT INTO objects (id, type, doc) VALUES (?, 'Note', ?)").run(id, JSON.stringify(note(id)))
  }

  it('share one view of the store: a commit by another connection is seen from the next turn on', async () => {
    expect(await store.getObject('https://peer.example/notes/1')).toBeNull()
    writeByOther('https://peer.example/notes/1')
    // Same turn: the store still reads as of the turn's first read.
    expect(await store.getObject('https://peer.example/notes/1')).toBeNull()
    await nextTurn()
    expect((await store.getObject('https://peer.example/notes/1'))?.id).toBe('https://peer.example/notes/1')
  })

  it('never hold a write back: a write after a read in the same turn is committed at once', async () => {
    expect(await store.getObject('https://peer.example/notes/2')).toBeNull()
    expect(await store.saveObject(note('https://peer.example/notes/2'))).toBe(true)
    // Still the same turn, and another connection already sees the row.
    expect(seenByOther('https://peer.example/notes/2')).toBe(true)
    // The store's own next read sees its write (the read transaction was ended by the write).
    expect((await store.getObject('https://peer.example/notes/2'))?.id).toBe('https://peer.example/notes/2')
  })

  it('see a write by another store of this process at once: a write ends every read transaction open here', async () => {
    const second = new SqliteStore(file)
    try {
      expect(await store.getObject('https://peer.example/notes/7')).toBeNull()
      expect(await second.saveObject(note('https://peer.example/notes/7'))).toBe(true)
      // Same turn: the first store's read transaction ended with the second store's write.
      expect((await store.getObject('https://peer.example/notes/7'))?.id).toBe('https://peer.example/notes/7')
    } finally {
      await second.shutdown()
    }
  })

  it('let a transaction begin after a read in the same turn, and commit it at its end', async () => {
    expect(await store.getObject('https://peer.example/notes/3')).toBeNull()
    await store.transaction(async () => {
      await store.saveObject(note('https://peer.example/notes/3'))
      await store.saveObject(note('https://peer.example/notes/4'))
    })
    expect(seenByOther('https://peer.example/notes/3')).toBe(true)
    expect(seenByOther('https://peer.example/notes/4')).toBe(true)
  })

  it('end at the turn\'s end: another connection can then checkpoint the whole log', async () => {
    await store.saveObject(note('https://peer.example/notes/5'))
    await nextTurn()
    expect((await store.getObject('https://peer.example/notes/5'))?.id).toBe('https://peer.example/notes/5')
    writeByOther('https://peer.example/notes/6')
    other.pragma('busy_timeout = 0')
    // The store's read transaction of this turn still holds the log's older end.
    const during = other.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
    expect(during[0].busy).toBe(1)
    await nextTurn()
    const after = other.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
    expect(after[0].busy).toBe(0)
  })
})
