import Database from 'better-sqlite3'
import { ConnectionTransactions } from '../../src/store/sqlite/async-transactions'

/** A one-table database behind the transaction gate, as the SQLite store's repositories sit. */
function gatedSettings (): { tx: ConnectionTransactions, set: (key: string, value: string) => Promise<void>, get: (key: string) => Promise<string | null>, close: () => void } {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  const tx = new ConnectionTransactions(db)
  const repo = tx.gate({
    set (key: string, value: string): void { db.prepare('INSERT INTO settings VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value) },
    get (key: string): string | null { return (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null }
  })
  return { tx, set: async (k, v) => { await repo.set(k, v) }, get: async k => await repo.get(k), close: () => db.close() }
}

describe('SQLite async transactions between transactions', () => {
  it('keeps a call left running by a settled transaction out of the next one: it neither waits inside it nor rolls back with it', async () => {
    const s = gatedSettings()
    let resume: () => void = () => {}
    const paused = new Promise<void>(resolve => { resume = resolve })
    let leftover: Promise<void> = Promise.resolve()
    await s.tx.transaction(async () => {
      await s.set('first', '1')
      leftover = (async () => { await paused; await s.set('leftover', '1') })()
    })
    let opened: () => void = () => {}
    const isOpen = new Promise<void>(resolve => { opened = resolve })
    let release: () => void = () => {}
    const released = new Promise<void>(resolve => { release = resolve })
    const failing = s.tx.transaction(async () => {
      await s.set('second', '1')
      opened()
      await released
      throw new Error('rolled back')
    })
    await isOpen
    resume()
    await new Promise(resolve => setTimeout(resolve, 5))
    release()
    await expect(failing).rejects.toThrow('rolled back')
    await leftover
    expect(await s.get('first')).toBe('1')
    expect(await s.get('leftover')).toBe('1')
    expect(await s.get('second')).toBeNull()
    s.close()
  })

  it('isolates a transaction begun after others ended exactly as the first one', async () => {
    const s = gatedSettings()
    for (let round = 0; round < 3; round++) {
      const failing = s.tx.transaction(async () => {
        await s.set(`inside-${round}`, '1')
        await new Promise(resolve => setTimeout(resolve, 5))
        expect(await s.get(`inside-${round}`)).toBe('1')
        throw new Error('rolled back')
      })
      // Made outside while the transaction is open: it waits and is kept.
      const outside = s.set(`outside-${round}`, '1')
      await expect(failing).rejects.toThrow('rolled back')
      await outside
      expect(await s.get(`inside-${round}`)).toBeNull()
      expect(await s.get(`outside-${round}`)).toBe('1')
    }
    s.close()
  })
})
