/** The inbox journal on SQLite (see `InboxJournalRepository`). */
import type Database from 'better-sqlite3'
import type { InboxClaim, InboxJournalEntry, InboxJournalRepository, InboxKey, InboxReceipt, InboxReceiptResult } from '../ports/inbox-journal.port'
import type { ApexNode } from '../store.port'
import { collectionsOf, firstId, keptInActivity, type Meta, type ReceivedBy } from './apex-node-codec'

/** The writes of apex's store a receipt makes, run inside the journal's transaction. */
export interface ReceiptWriters {
  /** Inserts the object unless one is held under its id. */
  saveObject: (object: ApexNode) => void
  /** Inserts the activity, its membership of the inbox naming the recipient, in the receipt's savepoint; false when one is held under its id. */
  saveActivity: (activity: ApexNode, receivedBy: ReceivedBy) => boolean
  /** Adds the activity held under `id` to the recipient's inbox; answers it with its meta. */
  addToInbox: (id: string, receivedBy: ReceivedBy) => ApexNode
}

interface JournalRow { sender: string, activity_id: string, recipient_id: string, received_at: string }

type KeyParams = [string, string, string]

const KEY = 'sender = ? AND activity_id = ? AND recipient_id = ?'

function params (key: InboxKey): KeyParams {
  return [key.sender, key.activityId, key.recipientId]
}

/** Whether a receipt's activity, inserted as it is, is the sender's and in the recipient's inbox. */
function heldForSender (r: InboxReceipt): boolean {
  const activity = r.activity as ApexNode
  return activity.id === r.key.activityId && firstId(activity.actor) === r.key.sender && collectionsOf(activity._meta as Meta | undefined).includes(r.inbox)
}

/** A receipt of a batch written without savepoints failed: the batch is written again, one savepoint per receipt. */
class ReceiptFailed extends Error {}

function toEntry (r: JournalRow): InboxJournalEntry {
  return { sender: r.sender, activityId: r.activity_id, recipientId: r.recipient_id, receivedAt: r.received_at }
}

/** `InboxJournalRepository` on the `inbox_journal` and `inbox_processed` tables. */
export class SqliteInboxJournalRepository implements InboxJournalRepository {
  private readonly insert
  private readonly delete
  private readonly one
  private readonly oldest
  private readonly ownerOf
  private readonly processed
  private readonly remember
  private readonly forget
  private readonly prune
  private readonly storedFor
  private readonly insertOwned
  private readonly setOwner
  private readonly giveUp
  private readonly unowned
  private readonly takeOrphan
  private readonly storedForRecipient
  private readonly rememberLeft
  // Transaction functions made once: better-sqlite3 builds four wrapped variants per `db.transaction` call.
  private readonly receiveAll
  private readonly receiveAllAtOnce

  /** Prepares every statement once; `now` (ms) stamps new entries. */
  constructor (private readonly db: Database.Database, private readonly now: () => number, private readonly writers?: ReceiptWriters) {
    this.insert = db.prepare<[...KeyParams, string]>(
      `INSERT INTO inbox_journal (sender, activity_id, recipient_id, received_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`)
    this.delete = db.prepare<KeyParams>(`DELETE FROM inbox_journal WHERE ${KEY}`)
    this.one = db.prepare<KeyParams, { n: number }>(`SELECT 1 AS n FROM inbox_journal WHERE ${KEY}`)
    this.oldest = db.prepare<[number], JournalRow>(
      'SELECT * FROM inbox_journal ORDER BY received_at, activity_id, recipient_id, sender LIMIT ?')
    this.ownerOf = db.prepare<KeyParams, { owner: string | null, alive: number }>(
      `SELECT owner, owner IN (SELECT id FROM hub_processes) AS alive FROM inbox_journal WHERE ${KEY}`)
    this.processed = db.prepare<KeyParams, { n: number }>(`SELECT 1 AS n FROM inbox_processed WHERE ${KEY}`)
    this.remember = db.prepare<[...KeyParams, string]>(
      `INSERT INTO inbox_processed (sender, activity_id, recipient_id, processed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET processed_at = excluded.processed_at`)
    this.forget = db.prepare<KeyParams>(`DELETE FROM inbox_processed WHERE ${KEY}`)
    this.prune = db.prepare<[string]>('DELETE FROM inbox_processed WHERE processed_at < ?')
    // Stored in the recipient's inbox by this very sender: a squatter's copy under the id does not count.
    this.storedFor = db.prepare<[string, string, string], { n: number }>(
      `SELECT 1 AS n FROM streams s JOIN stream_collections c ON c.seq = s.seq
       WHERE s.id = ? AND c.collection = ? AND s.actor_id = ?`)
    this.insertOwned = db.prepare<[...KeyParams, string, string]>(
      'INSERT INTO inbox_journal (sender, activity_id, recipient_id, received_at, owner) VALUES (?, ?, ?, ?, ?)')
    this.setOwner = db.prepare<[string, ...KeyParams]>(`UPDATE inbox_journal SET owner = ? WHERE ${KEY}`)
    this.giveUp = db.prepare<[...KeyParams, string]>(`UPDATE inbox_journal SET owner = NULL WHERE ${KEY} AND owner = ?`)
    const unowned = 'owner IS NULL OR owner NOT IN (SELECT id FROM hub_processes)'
    this.unowned = db.prepare<[number], JournalRow>(
      `SELECT sender, activity_id, recipient_id, received_at FROM inbox_journal WHERE ${unowned}
       ORDER BY received_at, activity_id, recipient_id, sender LIMIT ?`)
    this.takeOrphan = db.prepare<[string, ...KeyParams]>(
      `UPDATE inbox_journal SET owner = ? WHERE ${KEY} AND (${unowned})`)
    // A settled receipt's record: the activity of this sender in an inbox, received for this recipient.
    this.storedForRecipient = db.prepare<[string, string, string], { n: number }>(
      `SELECT 1 AS n FROM streams s JOIN stream_collections c ON c.seq = s.seq
       WHERE s.id = ? AND s.actor_id = ? AND c.recipient = ?`)
    this.rememberLeft = db.prepare<[string, number, string]>(
      `INSERT INTO inbox_processed (sender, activity_id, recipient_id, processed_at)
       SELECT s.actor_id, s.id, c.recipient, ? FROM streams s JOIN stream_collections c ON c.seq = s.seq
       WHERE s.seq = ? AND s.actor_id IS NOT NULL AND c.recipient IS NOT NULL AND c.collection IN (SELECT value FROM json_each(?))
       ON CONFLICT DO NOTHING`)
    this.receiveAllAtOnce = db.transaction((receipts: readonly InboxReceipt[], owner: string): InboxReceiptResult[] => receipts.map(r => {
      try {
        return this.receiptNow(r, owner)
      } catch {
        throw new ReceiptFailed()
      }
    }))
    const receiveOne = db.transaction((r: InboxReceipt, owner: string) => this.receiptNow(r, owner))
    this.receiveAll = db.transaction((receipts: readonly InboxReceipt[], owner: string): InboxReceiptResult[] => receipts.map(r => {
      try {
        return receiveOne(r, owner)
      } catch (error) {
        return { claim: 'error', error }
      }
    }))
  }

  async claim (key: InboxKey, inbox: string, owner: string): Promise<InboxClaim> {
    // IMMEDIATE: the read and the write are one step for every process sharing the file.
    return this.db.transaction(() => this.claimNow(key, inbox, owner)).immediate()
  }

  /**
   * Nearly every batch is written whole, without a savepoint per receipt (each one copies the pages
   * its receipt touches into the statement journal); when a receipt fails, that transaction is
   * rolled back and the batch written again with one savepoint per receipt, so only the failing
   * one is lost and answered with its error.
   */
  async receive (receipts: readonly InboxReceipt[], owner: string): Promise<InboxReceiptResult[]> {
    if (this.writers === undefined) throw new Error('SqliteInboxJournalRepository: receive needs the store\'s writers')
    try {
      return this.receiveAllAtOnce.immediate(receipts, owner)
    } catch (err) {
      if (!(err instanceof ReceiptFailed)) throw err
      return this.receiveAll.immediate(receipts, owner)
    }
  }

  /**
   * One receipt, inside the batch's transaction (`receiveAllAtOnce`), or in a savepoint of its own
   * inside `receiveAll` once a receipt of the batch failed: then that one is rolled back alone. A settled receipt is its own record: its object stays inside the activity (no copy in
   * `objects`, unless it is of another origin), and the activity held in the recipient's inbox
   * under the sender is what makes a repeat a repeat; only when the row cannot say so (another
   * actor's activity under the id) is the key remembered as processed.
   */
  private receiptNow (r: InboxReceipt, owner: string): InboxReceiptResult {
    const writers = this.writers as ReceiptWriters // `receive` checked that the store gave them
    const settled = r.settled === true
    const objectInRow = r.object === undefined || (settled && keptInActivity(r))
    // A settled receipt that writes nothing before its activity (no object of its own) and that
    // the journal's records do not decide asks whether the inbox already holds the activity only
    // once its insert finds the id taken: a new activity, nearly every one, cannot be held there.
    // (The insert that finds it taken leaves nothing behind but an AUTOINCREMENT number unused.)
    let claim: InboxClaim
    let askAfterInsert = false
    if (settled && objectInRow) {
      const byRecords = this.claimFromRecords(r.key, owner, true)
      askAfterInsert = byRecords === undefined
      claim = byRecords ?? 'claimed'
    } else {
      claim = this.claimNow(r.key, r.inbox, owner, settled)
    }
    if (claim !== 'claimed') return { claim }
    if (!objectInRow) writers.saveObject(r.object as ApexNode)
    const receivedBy = { inbox: r.inbox, recipientId: r.key.recipientId }
    const inserted = writers.saveActivity(r.activity as ApexNode, receivedBy)
    if (!inserted && askAfterInsert && this.storedFor.get(r.key.activityId, r.inbox, r.key.sender) !== undefined) return { claim: 'done' }
    const result: InboxReceiptResult = inserted
      ? { claim, isNew: true }
      : { claim, isNew: 'new collection', activity: writers.addToInbox(r.activity.id, receivedBy) }
    // The row just inserted is the record when it names the sender and is in the inbox; only
    // otherwise is the store asked whether an activity of the sender is held there for the recipient.
    const recorded = inserted && heldForSender(r)
    if (settled && !recorded && this.storedForRecipient.get(r.key.activityId, r.key.sender, r.key.recipientId) === undefined) {
      this.remember.run(...params(r.key), this.stamp())
    }
    return result
  }

  /** Claims the key; a settled claim leaves no journal entry (its record is written with the activity). */
  private claimNow (key: InboxKey, inbox: string, owner: string, settled = false): InboxClaim {
    const byRecords = this.claimFromRecords(key, owner, settled)
    if (byRecords !== undefined) return byRecords
    if (this.storedFor.get(key.activityId, inbox, key.sender) !== undefined) return 'done'
    if (!settled) this.insertOwned.run(...params(key), this.stamp(), owner)
    return 'claimed'
  }

  /**
   * The claim the journal's own records decide: an entry (held elsewhere, or taken over) or a
   * processed record; undefined when there is neither.
   */
  private claimFromRecords (key: InboxKey, owner: string, settled: boolean): InboxClaim | undefined {
    const entry = this.ownerOf.get(...params(key))
    if (entry !== undefined) {
      if (entry.owner !== null && (entry.owner === owner || entry.alive === 1)) return 'busy'
      if (settled) this.delete.run(...params(key))
      else this.setOwner.run(owner, ...params(key))
      return 'claimed'
    }
    return this.processed.get(...params(key)) !== undefined ? 'done' : undefined
  }

  /**
   * Remembers as processed the inbox receipts of the activity at `seq` in `collections`, before it
   * leaves them (removed by an Undo, or taken out of an inbox): a settled receipt had no record
   * but the row, and a replay must stay a repeat until pruned. A record already kept stays as is.
   */
  rememberLeaving (seq: number, collections: readonly string[]): void {
    if (collections.length === 0) return
    this.rememberLeft.run(this.stamp(), seq, JSON.stringify(collections))
  }

  async abandon (key: InboxKey, owner: string): Promise<void> {
    this.giveUp.run(...params(key), owner)
  }

  async reopen (key: InboxKey): Promise<void> {
    this.db.transaction(() => {
      this.forget.run(...params(key))
      this.insert.run(...params(key), this.stamp())
    })()
  }

  async listUnowned (limit: number): Promise<InboxJournalEntry[]> {
    return this.unowned.all(limit).map(toEntry)
  }

  async takeOver (key: InboxKey, owner: string): Promise<boolean> {
    return this.takeOrphan.run(owner, ...params(key)).changes === 1
  }

  async begin (key: InboxKey): Promise<void> {
    this.insert.run(...params(key), this.stamp())
  }

  async finish (key: InboxKey): Promise<void> {
    this.db.transaction(() => { this.finishNow(key, this.stamp()) })()
  }

  async finishMany (keys: readonly InboxKey[]): Promise<void> {
    const stamp = this.stamp()
    this.db.transaction(() => { for (const key of keys) this.finishNow(key, stamp) })()
  }

  /** Removes the entry and remembers the activity as processed, inside the caller's transaction. */
  private finishNow (key: InboxKey, stamp: string): void {
    this.delete.run(...params(key))
    this.remember.run(...params(key), stamp)
  }

  async discard (key: InboxKey): Promise<void> {
    this.delete.run(...params(key))
  }

  async isPending (key: InboxKey): Promise<boolean> {
    return this.one.get(...params(key)) !== undefined
  }

  async wasProcessed (key: InboxKey): Promise<boolean> {
    if (this.processed.get(...params(key)) !== undefined) return true
    return this.one.get(...params(key)) === undefined && this.storedForRecipient.get(key.activityId, key.sender, key.recipientId) !== undefined
  }

  async pruneProcessed (before: Date): Promise<number> {
    return this.prune.run(before.toISOString()).changes
  }

  async listPending (limit: number): Promise<InboxJournalEntry[]> {
    return this.oldest.all(limit).map(toEntry)
  }

  private stamp (): string {
    return new Date(this.now()).toISOString()
  }
}
