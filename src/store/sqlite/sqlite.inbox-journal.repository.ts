/** The inbox journal on SQLite (see `InboxJournalRepository`). */
import type Database from 'better-sqlite3'
import type { InboxClaim, InboxJournalEntry, InboxJournalRepository } from '../ports/inbox-journal.port'

interface JournalRow { activity_id: string, recipient_id: string, received_at: string }

/** `InboxJournalRepository` on the `inbox_journal` table. */
export class SqliteInboxJournalRepository implements InboxJournalRepository {
  private readonly insert
  private readonly delete
  private readonly one
  private readonly oldest
  private readonly ownerOf
  private readonly storedFor
  private readonly insertOwned
  private readonly setOwner
  private readonly giveUp
  private readonly unowned
  private readonly takeOrphan

  /** Prepares every statement once; `now` (ms) stamps new entries. */
  constructor (private readonly db: Database.Database, private readonly now: () => number) {
    this.insert = db.prepare<[string, string, string]>(
      `INSERT INTO inbox_journal (activity_id, recipient_id, received_at) VALUES (?, ?, ?)
       ON CONFLICT DO NOTHING`)
    this.delete = db.prepare<[string, string]>('DELETE FROM inbox_journal WHERE activity_id = ? AND recipient_id = ?')
    this.one = db.prepare<[string, string], { n: number }>(
      'SELECT 1 AS n FROM inbox_journal WHERE activity_id = ? AND recipient_id = ?')
    this.oldest = db.prepare<[number], JournalRow>(
      'SELECT * FROM inbox_journal ORDER BY received_at, activity_id, recipient_id LIMIT ?')
    this.ownerOf = db.prepare<[string, string], { owner: string | null, alive: number }>(
      `SELECT owner, owner IN (SELECT id FROM hub_processes) AS alive FROM inbox_journal
       WHERE activity_id = ? AND recipient_id = ?`)
    this.storedFor = db.prepare<[string, string], { n: number }>(
      `SELECT 1 AS n FROM streams s JOIN stream_collections c ON c.seq = s.seq
       WHERE s.id = ? AND c.collection = ?`)
    this.insertOwned = db.prepare<[string, string, string, string]>(
      'INSERT INTO inbox_journal (activity_id, recipient_id, received_at, owner) VALUES (?, ?, ?, ?)')
    this.setOwner = db.prepare<[string, string, string]>(
      'UPDATE inbox_journal SET owner = ? WHERE activity_id = ? AND recipient_id = ?')
    this.giveUp = db.prepare<[string, string, string]>(
      'UPDATE inbox_journal SET owner = NULL WHERE activity_id = ? AND recipient_id = ? AND owner = ?')
    const unowned = 'owner IS NULL OR owner NOT IN (SELECT id FROM hub_processes)'
    this.unowned = db.prepare<[number], JournalRow>(
      `SELECT activity_id, recipient_id, received_at FROM inbox_journal WHERE ${unowned}
       ORDER BY received_at, activity_id, recipient_id LIMIT ?`)
    this.takeOrphan = db.prepare<[string, string, string]>(
      `UPDATE inbox_journal SET owner = ? WHERE activity_id = ? AND recipient_id = ? AND (${unowned})`)
  }

  async claim (activityId: string, recipientId: string, inbox: string, owner: string): Promise<InboxClaim> {
    // IMMEDIATE: the read and the write are one step for every process sharing the file.
    return this.db.transaction((): InboxClaim => {
      const entry = this.ownerOf.get(activityId, recipientId)
      if (entry !== undefined) {
        if (entry.owner !== null && (entry.owner === owner || entry.alive === 1)) return 'busy'
        this.setOwner.run(owner, activityId, recipientId)
        return 'claimed'
      }
      if (this.storedFor.get(activityId, inbox) !== undefined) return 'done'
      this.insertOwned.run(activityId, recipientId, new Date(this.now()).toISOString(), owner)
      return 'claimed'
    }).immediate()
  }

  async abandon (activityId: string, recipientId: string, owner: string): Promise<void> {
    this.giveUp.run(activityId, recipientId, owner)
  }

  async listUnowned (limit: number): Promise<InboxJournalEntry[]> {
    return this.unowned.all(limit).map(r => ({ activityId: r.activity_id, recipientId: r.recipient_id, receivedAt: r.received_at }))
  }

  async takeOver (activityId: string, recipientId: string, owner: string): Promise<boolean> {
    return this.takeOrphan.run(owner, activityId, recipientId).changes === 1
  }

  async begin (activityId: string, recipientId: string): Promise<void> {
    this.insert.run(activityId, recipientId, new Date(this.now()).toISOString())
  }

  async finish (activityId: string, recipientId: string): Promise<void> {
    this.delete.run(activityId, recipientId)
  }

  async isPending (activityId: string, recipientId: string): Promise<boolean> {
    return this.one.get(activityId, recipientId) !== undefined
  }

  async listPending (limit: number): Promise<InboxJournalEntry[]> {
    return this.oldest.all(limit).map(r => ({ activityId: r.activity_id, recipientId: r.recipient_id, receivedAt: r.received_at }))
  }
}
