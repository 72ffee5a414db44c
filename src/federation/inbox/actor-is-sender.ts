import type { ApexNode } from '../../store/store.port'
import type { Apex } from '../apex-setup'
import { apexStep, InboxStep } from './inbox-steps'

/**
 * apex's `validators.actor` without reading the sender a second time. apex takes the activity's
 * actor as `actor` when it is the verified sender, and reads it from the store to compare; the
 * authentication step has just read (or fetched and stored) that very document, so when the
 * activity's actor is the sender, a remote actor whose id apex would look up unchanged, and not
 * blocked by the recipient, the sender is the actor. Everything else goes to apex as before.
 */
export function actorIsSender (apex: Apex, hubUrl: string): InboxStep {
  const apexActor = apexStep(apex.net.validators.actor)
  const hubOrigin = new URL(hubUrl).origin
  const actorIdOf = apex.actorIdFromActivity as (activity: unknown) => string | undefined
  return (req, res) => {
    const locals = res.locals.apex
    const sender = locals.sender as ApexNode | undefined
    const target = locals.target as { _local?: { blockList?: unknown[] } } | undefined
    const body = req.body as { actor?: unknown }
    if (sender === undefined || target === undefined || !body.actor) return apexActor(req, res)
    const actorId = actorIdOf(body)
    if (actorId !== sender.id || !asApexLooksUp(actorId, hubOrigin) || (target._local?.blockList ?? []).includes(actorId)) {
      return apexActor(req, res)
    }
    locals.actor = sender
  }
}

/**
 * True when apex's `resolveObject` would look the id up exactly as written (it drops a fragment
 * and normalises the URL) and it is not one of the hub's own actors (apex reads those with
 * their private `_meta`, which the sender as authenticated does not carry).
 */
function asApexLooksUp (id: string, hubOrigin: string): boolean {
  try {
    const url = new URL(id)
    return url.origin !== hubOrigin && `${url.protocol}//${url.host}${url.pathname}${url.search}` === id
  } catch {
    return false
  }
}
