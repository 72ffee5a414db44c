/**
 * The least the hub's inbox must write per activity, measured on the store alone: for a Create
 * of a Note no feature handles, the claim settled at once, and the activity (its Note inside it)
 * with its inbox row naming the recipient (`inboxJournal.receive` with `settled`) — the one
 * write per activity the inbox does, with no HTTP, signature or JSON-LD around it. Beside it, the ideal inbox's single insert on the same
 * disk. It shows how much of the inbound figure the required storage alone takes. And, for the
 * decision docs/performance.md leaves open, a layout the hub does not use: each received
 * activity one row (its body with the embedded object) under the three indexes an inbox is
 * read by (id per recipient, which also refuses a repeat; the recipient's page order; the
 * object's id), written one per transaction and eight per group commit.
 */
import crypto from 'crypto'
import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import type { Comparison } from './harness/report'
import { repeat, RepeatOptions } from './harness/repeat'
import type { InboxReceipt } from '../src/store/ports/inbox-journal.port'
import { SqliteStore } from '../src/store/sqlite/sqlite.store'

const PER_RUN = 2000
const HUB = 'http://127.0.0.1:8080'
const RECIPIENT = `${HUB}/u/coop`
const INBOX = `${RECIPIENT}/inbox`

/** A received Create from one of 200 hosts, shaped as the inbox stores it (compacted, values in arrays). */
function receipt (i: number): { receipt: InboxReceipt, body: string } {
  const host = `https://peer${i % 200}.example`
  const actor = `${host}/actor`
  const id = `${host}/activities/${crypto.randomUUID()}`
  const object = { id: `${host}/notes/${crypto.randomUUID()}`, type: ['Note'], attributedTo: [actor], to: [RECIPIENT], content: [`Note ${i} for the benchmark`] }
  const activity = { '@context': 'https://www.w3.org/ns/activitystreams', id, type: ['Create'], actor: [actor], to: [RECIPIENT], object: [object], _meta: { collection: [INBOX] } }
  return { receipt: { key: { sender: actor, activityId: id, recipientId: RECIPIENT }, inbox: INBOX, object, activity, settled: true }, body: JSON.stringify(activity) }
}

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

/** CPU per activity of the hub's inbox write at batch sizes 1 and 8, and of the ideal inbox's insert. */
export async function inboundWriteFloor (options: RepeatOptions, log: (line: string) => void): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-bench-floor-'))
  const store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  const ideal = new Database(path.join(dir, 'ideal.sqlite'))
  ideal.pragma('journal_mode = WAL')
  ideal.pragma('synchronous = NORMAL')
  ideal.exec('CREATE TABLE inbox (id TEXT PRIMARY KEY, actor TEXT, body TEXT)')
  const insert = ideal.prepare<[string, string, string]>('INSERT OR IGNORE INTO inbox (id, actor, body) VALUES (?, ?, ?)')
  const oneRow = new Database(path.join(dir, 'one-row.sqlite'))
  oneRow.pragma('journal_mode = WAL')
  oneRow.pragma('synchronous = NORMAL')
  oneRow.exec(`CREATE TABLE received (seq INTEGER PRIMARY KEY, sender TEXT NOT NULL, activity_id TEXT NOT NULL, recipient TEXT NOT NULL,
      object_id TEXT, body TEXT NOT NULL, received_at TEXT NOT NULL);
    CREATE UNIQUE INDEX received_id ON received(activity_id, recipient);
    CREATE INDEX received_page ON received(recipient, seq);
    CREATE INDEX received_object ON received(object_id)`)
  const insertRow = oneRow.prepare<[string, string, string, string, string, string]>(
    'INSERT OR IGNORE INTO received (sender, activity_id, recipient, object_id, body, received_at) VALUES (?, ?, ?, ?, ?, ?)')
  const writeRows = oneRow.transaction((rows: Array<{ receipt: InboxReceipt, body: string }>) => {
    for (const { receipt: r, body } of rows) {
      if (insertRow.run(r.key.sender, r.key.activityId, r.key.recipientId, String(r.object?.id ?? ''), body, new Date().toISOString()).changes !== 1) throw new Error('the one-row layout took a fresh activity for a repeat')
    }
  })
  try {
    log('inbound write floor: the inbox\'s one write on the store alone')
    const figures = await repeat(options, async () => {
      const out: Record<'batch1' | 'batch8' | 'oneRow1' | 'oneRow8' | 'ideal', number> = { batch1: 0, batch8: 0, oneRow1: 0, oneRow8: 0, ideal: 0 }
      for (const [name, batch] of [['batch1', 1], ['batch8', 8]] as const) {
        const items = Array.from({ length: PER_RUN }, (_, i) => receipt(i).receipt)
        const before = cpuMs()
        for (let i = 0; i < items.length; i += batch) {
          const chunk = items.slice(i, i + batch)
          const results = await store.inboxJournal.receive(chunk, 'bench')
          if (results.some(r => r.claim !== 'claimed')) throw new Error(`the store did not claim a fresh activity: ${JSON.stringify(results.map(r => r.claim))}`)
        }
        out[name] = (cpuMs() - before) / PER_RUN
      }
      for (const [name, batch] of [['oneRow1', 1], ['oneRow8', 8]] as const) {
        const rows = Array.from({ length: PER_RUN }, (_, i) => receipt(i))
        const before = cpuMs()
        for (let i = 0; i < rows.length; i += batch) writeRows(rows.slice(i, i + batch))
        out[name] = (cpuMs() - before) / PER_RUN
      }
      const rows = Array.from({ length: PER_RUN }, (_, i) => receipt(i))
      const before = cpuMs()
      for (const { receipt: r, body } of rows) insert.run(r.key.activityId, r.key.sender, body)
      out.ideal = (cpuMs() - before) / PER_RUN
      return out
    })
    const reference = { name: 'the ideal inbox\'s one insert, same disk', value: figures.ideal }
    return [
      { name: 'inbox write alone, one activity per transaction (CPU per activity)', unit: 'ms', hub: figures.batch1, reference, ratio: figures.batch1.median / figures.ideal.median, target: 'reported', met: true },
      { name: 'inbox write alone, eight activities per group commit (CPU per activity)', unit: 'ms', hub: figures.batch8, reference, ratio: figures.batch8.median / figures.ideal.median, target: 'reported', met: true },
      { name: 'a layout the hub does not use, one row per received activity: one per transaction (CPU per activity)', unit: 'ms', hub: figures.oneRow1, reference, ratio: figures.oneRow1.median / figures.ideal.median, target: 'reported', met: true },
      { name: 'a layout the hub does not use, one row per received activity: eight per group commit (CPU per activity)', unit: 'ms', hub: figures.oneRow8, reference, ratio: figures.oneRow8.median / figures.ideal.median, target: 'reported', met: true }
    ]
  } finally {
    ideal.close()
    oneRow.close()
    await store.shutdown()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
