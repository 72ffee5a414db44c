import { RequestHandler } from 'express'
import type { ApexNode } from '../../store/store.port'
import type { Apex } from '../apex-setup'
import { first } from '../../domain/activity-streams/nodes'
import type { InboxJournal } from './inbox-journal'

/** Activity types apex stores with their resolved object embedded, for rendering collections. */
const DENORMALIZED = ['create', 'announce', 'like', 'add', 'reject']

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
 */
export function storeReceivedActivity (apex: Apex, journal: InboxJournal): RequestHandler {
  const merge = apex.mergeJSONLD as (a: unknown, b: unknown) => unknown
  return (req, res, next) => {
    const locals = res.locals.apex
    const recipient = locals.target as { id: string, inbox?: unknown } | undefined
    const inbox = first<string>(recipient?.inbox)
    const body = req.body as ApexNode
    const sender = (locals.sender as { id?: unknown } | undefined)?.id
    if (!locals.activity || !recipient || !inbox) return next()
    if (typeof body.id !== 'string' || typeof sender !== 'string') return next()
    const key = { sender, activityId: body.id, recipientId: recipient.id }
    const activity = DENORMALIZED.includes(String(first(body.type)).toLowerCase())
      ? [{}, body, { object: [locals.object] }].reduce<unknown>((a, b) => merge(a, b), {}) as ApexNode
      : body
    const object = locals.unsavedObject as ApexNode | undefined
    journal.acquire(key).then(async release => {
      let claimed = false
      res.once('close', () => {
        // No event means the handlers will not run here: give the entry up before the next delivery is let in.
        const giveUp = claimed && !locals.eventName ? journal.abandon(key) : Promise.resolve()
        giveUp.catch(() => undefined).finally(release)
      })
      const result = await journal.receive({ key, inbox, object, activity })
      if (result.claim === 'error') throw result.error
      if (result.claim !== 'claimed') {
        res.status(202).end()
        return
      }
      claimed = true
      locals.isNewActivity = result.isNew
      if (result.activity !== undefined) req.body = result.activity
      next()
    }).catch(next)
  }
}
