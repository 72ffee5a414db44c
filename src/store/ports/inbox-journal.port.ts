/**
 * The inbox journal: which received activities still have handlers to run for which local
 * recipient. An entry is written before the activity is stored and answered 2xx, and removed once
 * the hub's handlers ran, so a crash in between is finished after the restart. Every key names
 * the verified sender, so a peer cannot occupy the key of another server's activity. What was
 * finished is remembered for a while (`pruneProcessed`), so a replayed request is a repeat even
 * after an Undo removed the activity itself.
 */

/** Who sent which activity to which local recipient; the sender is the verified signer's actor. */
export interface InboxKey {
  sender: string
  activityId: string
  recipientId: string
}

/** An activity received for a local recipient whose handlers have not finished. */
export interface InboxJournalEntry extends InboxKey {
  receivedAt: string
}

/**
 * What claiming an activity for a recipient decided: `claimed` (this process handles it; the
 * journal entry is written), `done` (already processed for the recipient: a repeat),
 * `busy` (a live process, maybe this one, is handling it now).
 */
export type InboxClaim = 'claimed' | 'done' | 'busy'

/**
 * One received activity to store for a recipient, claimed in the same step (see `receive`):
 * `object` is the embedded object to keep a copy of (a Create's; a settled receipt keeps it only
 * inside the activity), `activity` the activity with its `_meta.collection` naming the
 * recipient's inbox.
 */
export interface InboxReceipt {
  key: InboxKey
  /** The recipient's inbox: the collection the activity joins. */
  inbox: string
  object?: { id: string, [key: string]: unknown }
  activity: { id: string, [key: string]: unknown }
  /**
   * No handler of the hub runs for it (no feature registered its pair): it is processed once
   * stored, with no journal entry to close afterwards. Its membership of the inbox, naming the
   * recipient, is its processed record while it is held there; the store remembers it as
   * processed when it leaves the inbox.
   */
  settled?: boolean
}

/**
 * What `receive` did with one receipt: not claimed (`done` or `busy`, nothing written), or
 * claimed and stored, `isNew` true when the activity was first stored now and
 * `'new collection'` when it was held already and joined the recipient's inbox (`activity` is
 * then the stored one, with its meta).
 */
export type InboxReceiptResult =
  | { claim: 'done' | 'busy' }
  | { claim: 'claimed', isNew: true | 'new collection', activity?: { id: string, [key: string]: unknown } }
  | { claim: 'error', error: unknown }

/** Storage of the inbox journal. */
export interface InboxJournalRepository {
  /** Records that the activity is being processed for the recipient (idempotent). */
  begin (key: InboxKey): Promise<void>
  /** Removes the entry (the handlers ran) and remembers the activity as processed. */
  finish (key: InboxKey): Promise<void>
  /** `finish` for several entries in one write. */
  finishMany (keys: readonly InboxKey[]): Promise<void>
  /**
   * Claims each receipt (as `claim`) and, for each claimed, stores its embedded object (kept
   * when one is held under its id) and its activity (or adds the recipient's inbox to the
   * activity already held): one write transaction for all of them, the inbox's group commit.
   * A receipt that fails changes nothing and is answered `error`; the others are kept.
   */
  receive (receipts: readonly InboxReceipt[], owner: string): Promise<InboxReceiptResult[]>
  /** Removes the entry without remembering it: the activity was never stored, a redelivery is processed. */
  discard (key: InboxKey): Promise<void>
  /** True when an entry exists. */
  isPending (key: InboxKey): Promise<boolean>
  /**
   * True when the activity was finished for the recipient and not yet pruned, or was settled for
   * it and is held in its inbox (and no entry is open for it).
   */
  wasProcessed (key: InboxKey): Promise<boolean>
  /** Forgets the processed activities finished before `before`; answers how many. */
  pruneProcessed (before: Date): Promise<number>
  /** The oldest entries first. */
  listPending (limit: number): Promise<InboxJournalEntry[]>
  /**
   * Decides atomically, across every process sharing the store, who handles the activity for
   * the recipient (whose inbox is `inbox`): see `InboxClaim`. An entry left by a process that is
   * no longer registered (or abandoned) is taken over: `claimed`.
   */
  claim (key: InboxKey, inbox: string, owner: string): Promise<InboxClaim>
  /** `owner` gives the entry up (its processing failed before the handlers): any process may finish it. */
  abandon (key: InboxKey, owner: string): Promise<void>
  /**
   * Undoes the processed mark of a receipt `receive` settled at once, whose processing then failed
   * before its event: it becomes an entry no process holds, as `abandon` leaves one, so a
   * redelivery (or `listUnowned`) finishes it.
   */
  reopen (key: InboxKey): Promise<void>
  /** Entries no registered process holds (abandoned, or left by a dead one), oldest first. */
  listUnowned (limit: number): Promise<InboxJournalEntry[]>
  /** Takes over an entry no registered process holds; false when a live process has it or it is gone. */
  takeOver (key: InboxKey, owner: string): Promise<boolean>
}
