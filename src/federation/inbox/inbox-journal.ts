import type { Logger } from '../../log/logger'
import type { ApexNode, HubStore } from '../../store/store.port'
import type { InboxClaim } from '../../store/ports/inbox-journal.port'
import { first, idOf } from '../../domain/activity-streams/nodes'
import type { InboxEvent } from './inbox-registry'

/** Runs the hub's handlers for one received activity (the InboxDispatcher). */
export type DispatchInboxEvent = (event: InboxEvent) => Promise<void>

/**
 * Makes what an inbox answered 2xx survive a crash, and makes each activity run once per
 * recipient, across every hub process sharing the store. Before an activity is stored for a
 * recipient, a journal entry naming this process is claimed atomically in the store; it is
 * removed once the hub's handlers ran (they run after the answer, as apex emits its event then).
 * Entries a dead process left (or a failed run gave up) are finished by a live one (`replay`).
 * Per (activity, recipient) an in-process gate keeps two deliveries of one activity (shared and
 * personal inbox) from running side by side.
 */
export class InboxJournal {
  private readonly gates = new Map<string, Promise<void>>()
  private replaying: Promise<number> | null = null

  constructor (private readonly store: HubStore, private readonly logger: Logger) {}

  /** Waits until no other request handles `activityId` for `recipientId`; call the answer to let the next one in. */
  async acquire (activityId: string, recipientId: string): Promise<() => void> {
    const key = gateKey(activityId, recipientId)
    const previous = this.gates.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>(resolve => { release = resolve })
    const chained = previous.then(() => mine)
    this.gates.set(key, chained)
    await previous
    let released = false
    return () => {
      if (released) return
      released = true
      release()
      if (this.gates.get(key) === chained) this.gates.delete(key)
    }
  }

  /**
   * Decides whether this process handles the activity for the recipient (whose inbox is
   * `inbox`): `claimed` writes the journal entry before the activity is stored; `done` and
   * `busy` mean a repeat, or another delivery (here or in another process) handling it now.
   */
  async claim (activityId: string, recipientId: string, inbox: string): Promise<InboxClaim> {
    return await this.store.inboxJournal.claim(activityId, recipientId, inbox, this.store.processes.selfId)
  }

  /** Gives a claimed entry up (its processing failed before apex's event): a redelivery or `replay` may finish it. */
  async abandon (activityId: string, recipientId: string): Promise<void> {
    await this.store.inboxJournal.abandon(activityId, recipientId, this.store.processes.selfId)
  }

  /** Runs the handlers for an event apex emitted, then closes its journal entry. */
  async dispatch (event: InboxEvent, handlers: DispatchInboxEvent): Promise<void> {
    try {
      await handlers(event)
    } finally {
      await this.finish(event.activity.id, event.recipient.id)
    }
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
      const release = await this.acquire(entry.activityId, entry.recipientId)
      try {
        if (!await this.store.inboxJournal.takeOver(entry.activityId, entry.recipientId, self)) continue
        const event = await this.rebuildEvent(entry.activityId, entry.recipientId)
        if (event) {
          await handlers(event)
          replayed++
        }
        await this.store.inboxJournal.finish(entry.activityId, entry.recipientId)
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

  private async finish (activityId: string, recipientId: string): Promise<void> {
    await this.store.inboxJournal.finish(activityId, recipientId)
  }

  /** The event apex would have emitted, from what the store holds; null when the activity was never stored for the recipient. */
  private async rebuildEvent (activityId: string, recipientId: string): Promise<InboxEvent | null> {
    const activity = await this.store.getActivity(activityId, true)
    const recipient = await this.store.getObject(recipientId, true)
    const inbox = first<string>(recipient?.inbox)
    const collections = activity?._meta?.collection
    if (!activity || !recipient || !inbox || !Array.isArray(collections) || !collections.includes(inbox)) return null
    const actorId = idOf(activity.actor)
    const actor = actorId ? await this.store.getObject(actorId) : null
    if (!actor) return null
    const value = first(activity.object)
    let object: ApexNode | undefined
    if (value && typeof value === 'object') object = value as ApexNode
    else if (typeof value === 'string') object = (await this.store.getActivity(value, true)) ?? (await this.store.getObject(value)) ?? undefined
    return { actor, activity, recipient, object }
  }
}

function gateKey (activityId: string, recipientId: string): string {
  return `${activityId}\n${recipientId}`
}
