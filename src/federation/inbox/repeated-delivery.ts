import { RequestHandler } from 'express'
import type { HubStore } from '../../store/store.port'
import { first } from '../apex-setup'

/**
 * A repeated delivery of an activity this inbox already holds is answered 202 and changes
 * nothing. apex alone would run its side effects again (its MongoDB update always reports the
 * activity as "new in this collection"), so a re-sent Follow would be accepted twice.
 */
export function skipRepeatedDelivery (store: HubStore): RequestHandler {
  return (req, res, next) => {
    const locals = res.locals.apex
    const inbox = first<string>(locals.target?.inbox)
    const id = (req.body as { id?: unknown }).id
    if (!locals.activity || !inbox || typeof id !== 'string') return next()
    store.getActivity(id, true).then(existing => {
      const collections = existing?._meta?.collection
      if (Array.isArray(collections) && collections.includes(inbox)) {
        res.status(202).end()
        return
      }
      next()
    }).catch(next)
  }
}
