import type { Logger } from '../../log/logger'
import type { ApexNode, HubStore } from '../../store/store.port'
import { first, idOf } from '../apex-setup'
import type { InboxEvent } from './handlers/inbox-event'

/** Runs the hub's handlers for one received activity (the InboxDispatcher). */
export type DispatchInboxEvent = (event: InboxEvent) => Promise<void>

/**
 * Makes what an inbox answered 2xx survive a crash, and makes each activity run once per
 * recipient. Before an activity is stored for a recipient, a journal entry is written; it is
 * removed once the hub's handlers ran (they run after the answer, as apex emits its event then).
 * At start-up, entries a crash left are finished. Per (activity, recipient) an in-process gate
 * keeps two deliveries of one activity (shared and personal inbox) from running side by side.
 */
export class InboxJournal {
  private readonly gates = new Map<string, Promise<void>>()
  private readonly dispatching = new Set<string>()

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

  /** Records that the activity is being processed for the recipient (before it is stored). */
  async begin (activityId: string, recipientId: string): Promise<void> {
    this.dispatching.add(gateKey(activityId, recipientId))
    await this.store.inboxJournal.begin(activityId, recipientId)
  }

  /** True when this process stored the activity for the recipient and its handlers have not finished. */
  isInProgressHere (activityId: string, recipientId: string): boolean {
    return this.dispatching.has(gateKey(activityId, recipientId))
  }

  /** Forgets that this process handles the activity (its processing failed before apex's event). */
  notInProgressHere (activityId: string, recipientId: string): void {
    this.dispatching.delete(gateKey(activityId, recipientId))
  }

  /** True when an earlier run (perhaps a crashed process) left the activity unfinished. */
  async isUnfinished (activityId: string, recipientId: string): Promise<boolean> {
    return await this.store.inboxJournal.isPending(activityId, recipientId)
  }

  /** Runs the handlers for an event apex emitted, then closes its journal entry. */
  async dispatch (event: InboxEvent, handlers: DispatchInboxEvent): Promise<void> {
    try {
      await handlers(event)
    } finally {
      await this.finish(event.activity.id, event.recipient.id)
    }
  }

  /** Finishes every entry a previous run left: dispatches what was stored, drops what was not. */
  async replay (handlers: DispatchInboxEvent): Promise<number> {
    let replayed = 0
    for (const entry of await this.store.inboxJournal.listPending(10_000)) {
      if (this.isInProgressHere(entry.activityId, entry.recipientId)) continue
      const release = await this.acquire(entry.activityId, entry.recipientId)
      try {
        const event = await this.rebuildEvent(entry.activityId, entry.recipientId)
        if (event) {
          await handlers(event)
          replayed++
        }
        await this.store.inboxJournal.finish(entry.activityId, entry.recipientId)
      } catch (err) {
        this.logger.error({ err, activity: entry.activityId }, 'inbox: could not finish an activity received before a restart')
      } finally {
        release()
      }
    }
    if (replayed > 0) this.logger.info({ replayed }, 'inbox: finished activities received before a restart')
    return replayed
  }

  private async finish (activityId: string, recipientId: string): Promise<void> {
    this.dispatching.delete(gateKey(activityId, recipientId))
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
