import type { Logger } from '../../log/logger'
import type { ApexNode, HubStore } from '../../store/store.port'
import type { InboxClaim, InboxKey, InboxReceipt, InboxReceiptResult } from '../../store/ports/inbox-journal.port'
import { GroupCommit } from './group-commit'
import { first, idOf } from '../../domain/activity-streams/nodes'
import type { InboxEvent } from './inbox-registry'
import { CLOCK_WINDOW_MS } from './inbox-authentication'

/**
 * How long a processed activity is remembered. A signature is accepted while its Date (or
 * `created`) is within an hour of the clock either way, so one request stays valid for up to two
 * hours after it first arrives; a quarter of an hour more allows for clocks of several processes.
 */
export const PROCESSED_RETENTION_MS = 2 * CLOCK_WINDOW_MS + 15 * 60 * 1000

/** How often, at most, the processed activities older than the retention are pruned. */
const PRUNE_EVERY_MS = 60 * 1000

/** Runs the hub's handlers for one received activity (the InboxDispatcher). */
export type DispatchInboxEvent = (event: InboxEvent) => Promise<void>

/**
 * Makes what an inbox answered 2xx survive a crash, and makes each activity run once per
 * recipient, across every hub process sharing the store. Every key names the verified sender
 * (another server cannot occupy an activity's key), and finished activities are remembered for
 * `PROCESSED_RETENTION_MS`, so a replayed request is a repeat even when an Undo removed the
 * activity in between. Before an activity is stored for a
 * recipient, a journal entry naming this process is claimed atomically in the store; it is
 * removed once the hub's handlers ran (they run after the answer, as apex emits its event then).
 * Entries a dead process left (or a failed run gave up) are finished by a live one (`replay`).
 * Per (activity, recipient) an in-process gate keeps two deliveries of one activity (shared and
 * personal inbox) from running side by side.
 */
export class InboxJournal {
  /** Per key held now: the requests waiting for it, in arrival order. */
  private readonly gates = new Map<string, Array<() => void>>()
  private readonly dispatching = new Set<Promise<void>>()
  private replaying: Promise<number> | null = null
  private lastPrune = 0
  private readonly receipts: GroupCommit<InboxReceipt, InboxReceiptResult>
  private readonly finishes: GroupCommit<InboxKey, undefined>

  constructor (private readonly store: HubStore, private readonly logger: Logger, private readonly now: () => number = Date.now) {
    this.receipts = new GroupCommit(async items => await this.store.inboxJournal.receive(items, this.store.processes.selfId))
    this.finishes = new GroupCommit<InboxKey, undefined>(async keys => { await this.store.inboxJournal.finishMany(keys); return keys.map(() => undefined) })
  }

  /** Waits until no other request handles the key; call the answer to let the next one in. */
  async acquire (inboxKey: InboxKey): Promise<() => void> {
    const free = this.tryAcquire(inboxKey)
    if (free !== null) return free
    const key = gateKey(inboxKey)
    await new Promise<void>(resolve => { (this.gates.get(key) as Array<() => void>).push(resolve) })
    return this.releaser(key)
  }

  /**
   * `acquire` without waiting: the release when the key is free (it is held from now on), null
   * when another request holds it. The inbox's path takes the key so, with no promise for the
   * nearly every request whose key is free.
   */
  tryAcquire (inboxKey: InboxKey): (() => void) | null {
    const key = gateKey(inboxKey)
    if (this.gates.has(key)) return null
    this.gates.set(key, [])
    return this.releaser(key)
  }

  /** What lets the next request waiting for `key` in (or frees it), once. */
  private releaser (key: string): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      // The next in line holds the key now; with none, it is free.
      const next = this.gates.get(key)?.shift()
      if (next !== undefined) next()
      else this.gates.delete(key)
    }
  }

  /**
   * Decides whether this process handles the activity for the recipient (whose inbox is
   * `inbox`): `claimed` writes the journal entry before the activity is stored; `done` and
   * `busy` mean a repeat, or another delivery (here or in another process) handling it now.
   * Prunes what is remembered past the retention, at most once a minute.
   */
  async claim (key: InboxKey, inbox: string): Promise<InboxClaim> {
    await this.pruneIfDue()
    return await this.store.inboxJournal.claim(key, inbox, this.store.processes.selfId)
  }

  /**
   * Claims the activity for the recipient and, when claimed, stores it (with its embedded
   * object) in the same write; receipts arriving together share one transaction. Prunes what is
   * remembered past the retention, at most once a minute.
   */
  receive (receipt: InboxReceipt): Promise<InboxReceiptResult> {
    // Not an async function: a promise fewer on every request but the one a minute that prunes.
    if (this.pruneDue()) return this.pruneIfDue().then(() => this.receipts.add(receipt))
    return this.receipts.add(receipt)
  }

  /** Gives a claimed entry up (its processing failed before apex's event): a redelivery or `replay` may finish it. */
  async abandon (key: InboxKey): Promise<void> {
    await this.store.inboxJournal.abandon(key, this.store.processes.selfId)
  }

  /** `abandon` for a receipt settled at once: its processed mark becomes an entry no process holds. */
  async reopen (key: InboxKey): Promise<void> {
    await this.store.inboxJournal.reopen(key)
  }

  /** Forgets the processed activities older than the retention; answers how many. */
  async prune (): Promise<number> {
    this.lastPrune = this.now()
    return await this.store.inboxJournal.pruneProcessed(new Date(this.lastPrune - PROCESSED_RETENTION_MS))
  }

  private pruneDue (): boolean {
    return this.now() - this.lastPrune >= PRUNE_EVERY_MS
  }

  private async pruneIfDue (): Promise<void> {
    if (!this.pruneDue()) return
    try {
      await this.prune()
    } catch (err) {
      this.logger.warn({ err }, 'inbox: could not prune the processed activities')
    }
  }

  /**
   * Runs the handlers for an event apex emitted, then closes its journal entry; an event whose
   * receipt was settled at once (`journaled` false: no handler was registered for it) has none
   * to close.
   */
  async dispatch (event: InboxEvent, handlers: DispatchInboxEvent, journaled = true): Promise<void> {
    const run = (async () => {
      try {
        await handlers(event)
      } finally {
        // apex sets the event's actor only when it is the verified sender. Finishes arriving together share one write.
        if (journaled) await this.finishes.add({ sender: event.actor.id, activityId: event.activity.id, recipientId: event.recipient.id })
      }
    })()
    this.dispatching.add(run)
    try {
      await run
    } finally {
      this.dispatching.delete(run)
    }
  }

  /** Resolves when every event dispatched so far has been handled and its journal entry closed. */
  async idle (): Promise<void> {
    while (this.dispatching.size > 0) await Promise.allSettled([...this.dispatching])
  }

  /**
   * Finishes the entries no live process holds (left by a crash, or given up): dispatches what
   * was stored, drops what was not. Each entry is taken over atomically first, so of several
   * processes replaying at once only one runs it. One replay at a time per process.
   */
  async replay (handlers: DispatchInboxEvent): Promise<number> {
    this.replaying ??= this.replayUnowned(handlers).finally(() => { this.replaying = null })
    return await this.replaying
  }

  private async replayUnowned (handlers: DispatchInboxEvent): Promise<number> {
    let replayed = 0
    const self = this.store.processes.selfId
    for (const entry of await this.store.inboxJournal.listUnowned(10_000)) {
      const key: InboxKey = { sender: entry.sender, activityId: entry.activityId, recipientId: entry.recipientId }
      const release = await this.acquire(key)
      try {
        if (!await this.store.inboxJournal.takeOver(key, self)) continue
        const event = await this.rebuildEvent(key)
        if (event) {
          await handlers(event)
          replayed++
          await this.store.inboxJournal.finish(key)
        } else {
          // Never stored: nothing ran, so a redelivery is processed rather than taken for a repeat.
          await this.store.inboxJournal.discard(key)
        }
      } catch (err) {
        // The entry stays this process's: it is tried again after this process stops.
        this.logger.error({ err, activity: entry.activityId }, 'inbox: could not finish an activity another run left unfinished')
      } finally {
        release()
      }
    }
    if (replayed > 0) this.logger.info({ replayed }, 'inbox: finished activities a stopped or failed run left unfinished')
    return replayed
  }

  /** The event apex would have emitted, from what the store holds; null when the activity was never stored for the recipient. */
  private async rebuildEvent ({ sender, activityId, recipientId }: InboxKey): Promise<InboxEvent | null> {
    const activity = await this.store.getActivity(activityId, true)
    const recipient = await this.store.getObject(recipientId, true)
    const inbox = first<string>(recipient?.inbox)
    const collections = activity?._meta?.collection
    if (!activity || !recipient || !inbox || !Array.isArray(collections) || !collections.includes(inbox)) return null
    const actorId = idOf(activity.actor)
    // An entry from before senders were recorded has none; the stored activity's actor is it.
    if (!actorId || (sender !== '' && actorId !== sender)) return null
    const actor = await this.store.getObject(actorId)
    if (!actor) return null
    const value = first(activity.object)
    let object: ApexNode | undefined
    if (value && typeof value === 'object') object = value as ApexNode
    else if (typeof value === 'string') object = (await this.store.getActivity(value, true)) ?? (await this.store.getObject(value)) ?? undefined
    return { actor, activity, recipient, object }
  }
}

function gateKey ({ sender, activityId, recipientId }: InboxKey): string {
  return `${sender}\n${activityId}\n${recipientId}`
}
