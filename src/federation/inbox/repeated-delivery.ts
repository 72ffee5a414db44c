import { RequestHandler } from 'express'
import { first } from '../../domain/activity-streams/nodes'
import type { InboxJournal } from './inbox-journal'

/**
 * Processes each activity once per recipient, across every hub process sharing the store. A
 * repeated delivery of an activity this inbox already holds is answered 202 and changes nothing
 * (apex alone would run its side effects again: its MongoDB update always reports the activity
 * as "new in this collection", so a re-sent Follow would be accepted twice). The same activity
 * arriving at two processes at once is claimed by one; the other answers 202. Deliveries of one
 * activity to one recipient in this process (shared and personal inbox at once) are handled one
 * after the other. One whose earlier run was cut short (a crash, a failure before the handlers)
 * is processed again. The claim writes the journal entry before apex stores the activity. Every
 * key names the verified sender, and an activity stays a repeat for a while after it finished,
 * even when an Undo removed it since (a replayed request changes nothing).
 */
export function skipRepeatedDelivery (journal: InboxJournal): RequestHandler {
  return (req, res, next) => {
    const locals = res.locals.apex
    const recipient = locals.target as { id: string, inbox?: unknown } | undefined
    const inbox = first<string>(recipient?.inbox)
    const id = (req.body as { id?: unknown }).id
    const sender = (locals.sender as { id?: unknown } | undefined)?.id
    if (!locals.activity || !recipient || !inbox || typeof id !== 'string' || typeof sender !== 'string') return next()
    const key = { sender, activityId: id, recipientId: recipient.id }
    journal.acquire(key).then(async release => {
      let claimed = false
      res.once('close', () => {
        // No event means the handlers will not run here: give the entry up before the next delivery is let in.
        const giveUp = claimed && !locals.eventName ? journal.abandon(key) : Promise.resolve()
        giveUp.catch(() => undefined).finally(release)
      })
      if (await journal.claim(key, inbox) !== 'claimed') {
        res.status(202).end()
        return
      }
      claimed = true
      next()
    }).catch(next)
  }
}
