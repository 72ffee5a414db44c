/**
 * The inbox journal: which received activities still have handlers to run for which local
 * recipient. An entry is written before the activity is stored and answered 2xx, and removed once
 * the hub's handlers ran, so a crash in between is finished after the restart.
 */

/** An activity received for a local recipient whose handlers have not finished. */
export interface InboxJournalEntry {
  activityId: string
  recipientId: string
  receivedAt: string
}

/** Storage of the inbox journal. */
export interface InboxJournalRepository {
  /** Records that `activityId` is being processed for `recipientId` (idempotent). */
  begin (activityId: string, recipientId: string): Promise<void>
  /** Removes the entry: the handlers ran. */
  finish (activityId: string, recipientId: string): Promise<void>
  /** True when an entry exists. */
  isPending (activityId: string, recipientId: string): Promise<boolean>
  /** The oldest entries first. */
  listPending (limit: number): Promise<InboxJournalEntry[]>
}
