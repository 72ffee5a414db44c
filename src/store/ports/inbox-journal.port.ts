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

/**
 * What claiming an activity for a recipient decided: `claimed` (this process handles it; the
 * journal entry is written), `done` (already stored for the recipient and finished: a repeat),
 * `busy` (a live process, maybe this one, is handling it now).
 */
export type InboxClaim = 'claimed' | 'done' | 'busy'

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
  /**
   * Decides atomically, across every process sharing the store, who handles `activityId` for
   * `recipientId` (whose inbox is `inbox`): see `InboxClaim`. An entry left by a process that is
   * no longer registered (or abandoned) is taken over: `claimed`.
   */
  claim (activityId: string, recipientId: string, inbox: string, owner: string): Promise<InboxClaim>
  /** `owner` gives the entry up (its processing failed before the handlers): any process may finish it. */
  abandon (activityId: string, recipientId: string, owner: string): Promise<void>
  /** Entries no registered process holds (abandoned, or left by a dead one), oldest first. */
  listUnowned (limit: number): Promise<InboxJournalEntry[]>
  /** Takes over an entry no registered process holds; false when a live process has it or it is gone. */
  takeOver (activityId: string, recipientId: string, owner: string): Promise<boolean>
}
