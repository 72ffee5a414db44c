import type { ApexNode } from '../../store/store.port'
import { first } from '../../domain/activity-streams/nodes'
import type { InboxJournal } from './inbox-journal'
import type { InboxEvent } from './inbox-registry'
import type { InboxStep } from './inbox-steps'

/** True when a handler of the hub runs for the event (the dispatcher has a route for it). */
export type HandlesInboxEvent = (event: InboxEvent) => boolean

/** Activity types apex stores with their resolved object embedded, for rendering collections. */
const DENORMALIZED = ['create', 'announce', 'like', 'add', 'reject']

/**
 * The activity types apex's `inboxSideEffects` acts on (collections, tombstones, updates); for
 * any other it only sets the answer and emits its event.
 */
const APEX_ACTS_ON = new Set(['accept', 'announce', 'delete', 'like', 'reject', 'undo', 'update'])

/**
 * Replaces apex's `activity.save` and claims the activity in the same write: the journal entry,
 * the embedded object (a Create's, which `resolveActivityObject` left unsaved) and the activity
 * with the recipient's inbox in its collections are one write transaction, shared with the other
 * activities arriving at the same moment (`InboxJournal.receive`).
 *
 * Each activity is processed once per recipient, across every hub process sharing the store. A
 * repeated delivery of an activity this inbox already holds is answered 202 and changes nothing
 * (apex alone would run its side effects again: its MongoDB update always reports the activity
 * as "new in this collection", so a re-sent Follow would be accepted twice). The same activity
 * arriving at two processes at once is claimed by one; the other answers 202. Deliveries of one
 * activity to one recipient in this process (shared and personal inbox at once) are handled one
 * after the other. One whose earlier run was cut short (a crash, a failure before the handlers)
 * is processed again. Every key names the verified sender, and an activity stays a repeat for a
 * while after it finished, even when an Undo removed it since (a replayed request changes
 * nothing).
 *
 * An activity no feature handles (`handles` false: a Create of a Note, a Like) has no handlers
 * to run after the answer, so it is remembered as processed in that same write and no journal
 * entry is left to close: one write per activity. Should its processing fail before apex's event,
 * the mark is turned back into an entry no process holds, as a journaled claim is given up.
 * When apex has nothing to do for it either (a Create: `nothingLeftToRun`), it is answered 202
 * as soon as the write commits: no side effects, no event (no handler would take it).
 */
export function storeReceivedActivity (journal: InboxJournal, handles: HandlesInboxEvent): InboxStep {
  return (req, res) => {
    const locals = res.locals.apex
    const recipient = locals.target as { id: string, inbox?: unknown } | undefined
    const inbox = first<string>(recipient?.inbox)
    const body = req.body as ApexNode
    const sender = (locals.sender as { id?: unknown } | undefined)?.id
    if (!locals.activity || !recipient || !inbox) return
    if (typeof body.id !== 'string' || typeof sender !== 'string') return
    const key = { sender, activityId: body.id, recipientId: recipient.id }
    const activity = DENORMALIZED.includes(String(first(body.type)).toLowerCase())
      ? withResolvedObject(body, locals.object)
      : body
    const object = locals.unsavedObject as ApexNode | undefined
    const settled = noHandlerFor(handles, { actor: locals.actor ?? locals.sender, activity: body, recipient: recipient as ApexNode, object: locals.object })
    const receiveHeld = (release: () => void): Promise<void> => {
      let claimed = false
      let completed = false
      res.once('close', () => {
        // No event means the handlers will not run here: give the entry up before the next delivery is let in.
        if (!claimed || completed || locals.eventName) return release()
        ;(settled ? journal.reopen(key) : journal.abandon(key)).catch(() => undefined).finally(release)
      })
      return journal.receive({ key, inbox, object, activity, settled }).then(result => {
        if (result.claim === 'error') throw result.error
        if (result.claim !== 'claimed') {
          res.status(202).end()
          return
        }
        claimed = true
        locals.settled = settled
        locals.isNewActivity = result.isNew
        if (result.activity !== undefined) req.body = result.activity
        if (settled && nothingLeftToRun(body, locals)) {
          completed = true
          res.status(202).end()
        }
      })
    }
    // The key is nearly always free: taken at once, without a promise.
    const held = journal.tryAcquire(key)
    return held !== null ? receiveHeld(held) : journal.acquire(key).then(receiveHeld)
  }
}

/**
 * The activity as apex stores it with its resolved object embedded: what apex's `mergeJSONLD`
 * of `{}`, the body and `{ object: [object] }` gives (deepmerge with arrays overwritten), built
 * directly, without deepmerge's generic walk over every value twice. A new top-level object; arrays
 * shared with the body, as deepmerge leaves them; plain objects copied; a key `Object.prototype` has
 * (`constructor`, `__proto__`, …) left out, as deepmerge leaves it out; `object` in its place.
 */
export function withResolvedObject (body: Record<string, unknown>, object: unknown): ApexNode {
  const activity = copyPlainObjects(body) as Record<string, unknown>
  activity.object = [object]
  return activity as ApexNode
}

function copyPlainObjects (value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const copy: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    if (key in copy) continue
    copy[key] = copyPlainObjects(inner)
  }
  return copy
}

/**
 * True when a settled receipt has nothing left to run: apex's side effects act on none of its
 * types, and no step before refused it or left the actor unmatched (apex would answer those).
 */
function nothingLeftToRun (body: ApexNode, locals: { actor?: unknown, status?: unknown }): boolean {
  return Boolean(locals.actor) && locals.status === undefined && typeof body.type === 'string' && !APEX_ACTS_ON.has(body.type.toLowerCase())
}

/** True when no handler runs for the event; an event the dispatcher cannot route is journaled, to be safe. */
function noHandlerFor (handles: HandlesInboxEvent, event: InboxEvent): boolean {
  try {
    return !handles(event)
  } catch {
    return false
  }
}
