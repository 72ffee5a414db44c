/** The inbox journal on SQLite (see `InboxJournalRepository`). */
import type Database from 'better-sqlite3'
import type { InboxJournalEntry, InboxJournalRepository } from '../ports/inbox-journal.port'

interface JournalRow { activity_id: string, recipient_id: string, received_at: string }

/** `InboxJournalRepository` on the `inbox_journal` table. */
export class SqliteInboxJournalRepository implements InboxJournalRepository {
  private readonly insert
  private readonly delete
  private readonly one
  private readonly oldest

  /** Prepares every statement once; `now` (ms) stamps new entries. */
  constructor (db: Database.Database, private readonly now: () => number) {
    this.insert = db.prepare<[string, string, string]>(
      `INSERT INTO inbox_journal (activity_id, recipient_id, received_at) VALUES (?, ?, ?)
       ON CONFLICT DO NOTHING`)
    this.delete = db.prepare<[string, string]>('DELETE FROM inbox_journal WHERE activity_id = ? AND recipient_id = ?')
    this.one = db.prepare<[string, string], { n: number }>(
      'SELECT 1 AS n FROM inbox_journal WHERE activity_id = ? AND recipient_id = ?')
    this.oldest = db.prepare<[number], JournalRow>(
      'SELECT * FROM inbox_journal ORDER BY received_at, activity_id, recipient_id LIMIT ?')
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
