import { RequestHandler } from 'express'
import type { HubStore } from '../../store/store.port'
import { first } from '../apex-setup'
import type { InboxJournal } from './inbox-journal'

/**
 * A repeated delivery of an activity this inbox already holds is answered 202 and changes
 * nothing. apex alone would run its side effects again (its MongoDB update always reports the
 * activity as "new in this collection"), so a re-sent Follow would be accepted twice. Deliveries
 * of one activity to one recipient (shared and personal inbox at once) are handled one after the
 * other; one whose earlier run was cut short by a crash is processed again.
 */
export function skipRepeatedDelivery (store: HubStore, journal: InboxJournal): RequestHandler {
  return (req, res, next) => {
    const locals = res.locals.apex
    const recipient = locals.target as { id: string, inbox?: unknown } | undefined
    const inbox = first<string>(recipient?.inbox)
    const id = (req.body as { id?: unknown }).id
    if (!locals.activity || !recipient || !inbox || typeof id !== 'string') return next()
    journal.acquire(id, recipient.id).then(async release => {
      res.once('close', release)
      const existing = await store.getActivity(id, true)
      const collections = existing?._meta?.collection
      if (!Array.isArray(collections) || !collections.includes(inbox)) return next()
      if (!journal.isInProgressHere(id, recipient.id) && await journal.isUnfinished(id, recipient.id)) return next()
      res.status(202).end()
    }).catch(next)
  }
}

/** Writes the journal entry of an accepted activity before apex stores it (see InboxJournal). */
export function recordReceipt (journal: InboxJournal): RequestHandler {
  return (req, res, next) => {
    const locals = res.locals.apex
    const id = (req.body as { id?: unknown }).id
    if (!locals.activity || !locals.target || typeof id !== 'string') return next()
    const recipientId = (locals.target as { id: string }).id
    // No event means the handlers will not run in this process: a redelivery may run them again.
    res.once('close', () => { if (!locals.eventName) journal.notInProgressHere(id, recipientId) })
    journal.begin(id, recipientId).then(() => next(), next)
  }
}
