/**
 * The inbox journal on PostgreSQL (see `InboxJournalRepository`). A claim takes a
 * transaction-scoped advisory lock on its key first: the entry may not exist yet, so there is no
 * row to lock, and two processes on two machines must still decide one after the other.
 */
import type { InboxClaim, InboxJournalEntry, InboxJournalRepository, InboxKey, InboxReceipt, InboxReceiptResult } from '../ports/inbox-journal.port'
import type { ApexNode } from '../store.port'
import { keptInActivity } from '../sqlite/apex-node-codec'
import type { PostgresDatabase, Queryable } from './postgres-database'
import { saveActivityOn, saveObjectOn, updateActivityMetaOn } from './postgres.apex-documents'

interface JournalRow { sender: string, activity_id: string, recipient_id: string, received_at: string }

const KEY = 'sender = $1 AND activity_id = $2 AND recipient_id = $3'
const UNOWNED = 'owner IS NULL OR owner NOT IN (SELECT id FROM hub_processes)'
/** The advisory lock of one key, as an SQL expression over sender, activity and recipient. */
const LOCK_OF = (s: string, a: string, r: string): string => `hashtext('hub-inbox:' || ${s} || ' ' || ${a} || ' ' || ${r})`
const OLDEST_FIRST = 'ORDER BY received_at, activity_id COLLATE "C", recipient_id COLLATE "C", sender COLLATE "C"'

function params (key: InboxKey): [string, string, string] {
  return [key.sender, key.activityId, key.recipientId]
}

function toEntry (r: JournalRow): InboxJournalEntry {
  return { sender: r.sender, activityId: r.activity_id, recipientId: r.recipient_id, receivedAt: r.received_at }
}

/** `InboxJournalRepository` on the `inbox_journal` and `inbox_processed` tables. */
export class PostgresInboxJournalRepository implements InboxJournalRepository {
  /** `now` (ms) stamps new entries. */
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  async claim (key: InboxKey, inbox: string, owner: string): Promise<InboxClaim> {
    return await this.db.transaction(async (tx): Promise<InboxClaim> => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_OF('$1', '$2', '$3')})`, params(key))
      return await this.claimOn(tx, key, inbox, owner)
    })
  }

  async receive (receipts: readonly InboxReceipt[], owner: string): Promise<InboxReceiptResult[]> {
    if (receipts.length === 0) return []
    return await this.db.transaction(async tx => {
      // Every key's lock first, in one order: two processes receiving overlapping batches wait
      // for each other instead of deadlocking.
      await tx.query(`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT ${LOCK_OF('t.s', 't.a', 't.r')} AS k
        FROM unnest($1::text[], $2::text[], $3::text[]) AS t (s, a, r)) l ORDER BY k`,
      [receipts.map(r => r.key.sender), receipts.map(r => r.key.activityId), receipts.map(r => r.key.recipientId)])
      const results: InboxReceiptResult[] = []
      for (const receipt of receipts) {
        // Each receipt in a savepoint of its own: one that fails is rolled back alone.
        await tx.query('SAVEPOINT receipt')
        try {
          results.push(await this.receiveOn(tx, receipt, owner))
          await tx.query('RELEASE SAVEPOINT receipt')
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT receipt')
          await tx.query('RELEASE SAVEPOINT receipt')
          results.push({ claim: 'error', error })
        }
      }
      return results
    })
  }

  /**
   * Claims one receipt and stores what it brings, inside the caller's transaction (its key's lock
   * held). A settled receipt is its own record, as on SQLite: its object stays inside the activity,
   * and its row in the recipient's inbox under the sender makes a repeat a repeat; only when the
   * row cannot say so is the key remembered as processed.
   */
  private async receiveOn (tx: Queryable, r: InboxReceipt, owner: string): Promise<InboxReceiptResult> {
    const settled = r.settled === true
    const claim = await this.claimOn(tx, r.key, r.inbox, owner, settled)
    if (claim !== 'claimed') return { claim }
    if (r.object !== undefined && !(settled && keptInActivity(r))) await saveObjectOn(tx, r.object as ApexNode)
    const receivedBy = { inbox: r.inbox, recipientId: r.key.recipientId }
    const result: InboxReceiptResult = await saveActivityOn(tx, r.activity as ApexNode, receivedBy) === true
      ? { claim, isNew: true }
      : { claim, isNew: 'new collection', activity: await updateActivityMetaOn(tx, r.activity, 'collection', r.inbox, false, receivedBy) }
    if (settled && !await this.storedFor(tx, r.key)) await this.rememberOn(tx, r.key)
    return result
  }

  /** The settled receipt's record: the activity of this sender in an inbox, received for this recipient. */
  private async storedFor (db: Queryable, key: InboxKey): Promise<boolean> {
    return ((await db.query(`SELECT 1 FROM streams s JOIN stream_collections c ON c.seq = s.seq
      WHERE s.id = $1 AND s.actor_id = $2 AND c.recipient = $3`, [key.activityId, key.sender, key.recipientId])).rowCount ?? 0) > 0
  }

  /**
   * The claim's decision, inside the caller's transaction, which holds the key's lock; a settled
   * claim leaves no journal entry (its record is written with the activity).
   */
  private async claimOn (tx: Queryable, key: InboxKey, inbox: string, owner: string, settled = false): Promise<InboxClaim> {
    const entry = (await tx.query<{ owner: string | null, alive: boolean }>(
      `SELECT owner, owner IN (SELECT id FROM hub_processes) AS alive FROM inbox_journal WHERE ${KEY}`, params(key))).rows[0]
    if (entry !== undefined) {
      if (entry.owner !== null && (entry.owner === owner || entry.alive)) return 'busy'
      if (settled) await tx.query(`DELETE FROM inbox_journal WHERE ${KEY}`, params(key))
      else await tx.query(`UPDATE inbox_journal SET owner = $4 WHERE ${KEY}`, [...params(key), owner])
      return 'claimed'
    }
    if ((await tx.query(`SELECT 1 FROM inbox_processed WHERE ${KEY}`, params(key))).rowCount) return 'done'
    // Stored in the recipient's inbox by this very sender: a squatter's copy under the id does not count.
    const stored = await tx.query(`SELECT 1 FROM streams s JOIN stream_collections c ON c.seq = s.seq
      WHERE s.id = $1 AND c.collection = $2 AND s.actor_id = $3`, [key.activityId, inbox, key.sender])
    if (stored.rowCount) return 'done'
    if (!settled) {
      await tx.query('INSERT INTO inbox_journal (sender, activity_id, recipient_id, received_at, owner) VALUES ($1, $2, $3, $4, $5)',
        [...params(key), this.stamp(), owner])
    }
    return 'claimed'
  }

  /** Marks the key processed now, inside the caller's transaction. */
  private async rememberOn (tx: Queryable, key: InboxKey): Promise<void> {
    await tx.query(`INSERT INTO inbox_processed (sender, activity_id, recipient_id, processed_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (sender, activity_id, recipient_id) DO UPDATE SET processed_at = excluded.processed_at`, [...params(key), this.stamp()])
  }

  async abandon (key: InboxKey, owner: string): Promise<void> {
    await this.db.query(`UPDATE inbox_journal SET owner = NULL WHERE ${KEY} AND owner = $4`, [...params(key), owner])
  }

  async listUnowned (limit: number): Promise<InboxJournalEntry[]> {
    const rows = await this.db.query<JournalRow>(`SELECT sender, activity_id, recipient_id, received_at FROM inbox_journal WHERE ${UNOWNED} ${OLDEST_FIRST} LIMIT $1`, [limit])
    return rows.rows.map(toEntry)
  }

  async takeOver (key: InboxKey, owner: string): Promise<boolean> {
    return (await this.db.query(`UPDATE inbox_journal SET owner = $4 WHERE ${KEY} AND (${UNOWNED})`, [...params(key), owner])).rowCount === 1
  }

  async begin (key: InboxKey): Promise<void> {
    await this.db.query('INSERT INTO inbox_journal (sender, activity_id, recipient_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [...params(key), this.stamp()])
  }

  async finish (key: InboxKey): Promise<void> {
    await this.db.transaction(async tx => { await this.finishOn(tx, key) })
  }

  /** Removes the entry and remembers the activity as processed, inside the caller's transaction. */
  private async finishOn (tx: Queryable, key: InboxKey): Promise<void> {
    await tx.query(`DELETE FROM inbox_journal WHERE ${KEY}`, params(key))
    await this.rememberOn(tx, key)
  }

  async reopen (key: InboxKey): Promise<void> {
    await this.db.transaction(async tx => {
      await tx.query(`DELETE FROM inbox_processed WHERE ${KEY}`, params(key))
      await tx.query('INSERT INTO inbox_journal (sender, activity_id, recipient_id, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [...params(key), this.stamp()])
    })
  }

  async finishMany (keys: readonly InboxKey[]): Promise<void> {
    if (keys.length === 0) return
    const columns = [keys.map(k => k.sender), keys.map(k => k.activityId), keys.map(k => k.recipientId)]
    await this.db.transaction(async tx => {
      await tx.query(`DELETE FROM inbox_journal j USING unnest($1::text[], $2::text[], $3::text[]) AS k (s, a, r)
        WHERE j.sender = k.s AND j.activity_id = k.a AND j.recipient_id = k.r`, columns)
      await tx.query(`INSERT INTO inbox_processed (sender, activity_id, recipient_id, processed_at)
        SELECT DISTINCT s, a, r, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS k (s, a, r)
        ON CONFLICT (sender, activity_id, recipient_id) DO UPDATE SET processed_at = excluded.processed_at`, [...columns, this.stamp()])
    })
  }

  async discard (key: InboxKey): Promise<void> {
    await this.db.query(`DELETE FROM inbox_journal WHERE ${KEY}`, params(key))
  }

  async isPending (key: InboxKey): Promise<boolean> {
    return ((await this.db.query(`SELECT 1 FROM inbox_journal WHERE ${KEY}`, params(key))).rowCount ?? 0) > 0
  }

  async wasProcessed (key: InboxKey): Promise<boolean> {
    if (((await this.db.query(`SELECT 1 FROM inbox_processed WHERE ${KEY}`, params(key))).rowCount ?? 0) > 0) return true
    return !await this.isPending(key) && await this.storedFor(this.db, key)
  }

  async pruneProcessed (before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM inbox_processed WHERE processed_at < $1', [before.toISOString()])).rowCount ?? 0
  }

  async listPending (limit: number): Promise<InboxJournalEntry[]> {
    return (await this.db.query<JournalRow>(`SELECT * FROM inbox_journal ${OLDEST_FIRST} LIMIT $1`, [limit])).rows.map(toEntry)
  }

  private stamp (): string {
    return new Date(this.now()).toISOString()
  }
}
