import { ForbiddenError } from '../../errors/app-errors'
import type { ApexNode, HubStore } from '../../store/store.port'
import type { Apex } from '../apex-setup'
import { first, idOf } from '../../domain/activity-streams/nodes'
import type { InboxStep } from './inbox-steps'

/** Activities that write an object the hub may already hold. */
const WRITES = ['create', 'update', 'delete']

/**
 * Runs before apex resolves (and, for a Create, saves) the activity's object. A Create or Update
 * embedding an object the hub already holds, or a Delete of one, is allowed only to that
 * object's owner as the hub has it stored — never
 * as the incoming copy claims (apex checks an Update against the sender's own inline copy, then
 * replaces the stored object wholesale, so one account of a server could overwrite another's
 * service, pool or agreement). The stored copy is apex's (its `attributedTo`, `actor`, or the
 * actor itself), and for services and pools the hub's record of who published them. A refusal
 * is 403 and changes nothing.
 */
export function requireStoredOwner (apex: Apex, store: HubStore): InboxStep {
  const validateOwner = apex.validateOwner as (object: unknown, actor: unknown) => boolean

  /** Who holds `objectId` on this hub when it is not `actor`; null when nobody else does. */
  const otherOwner = async (objectId: string, actor: ApexNode): Promise<string | null> => {
    // Nearly always a new object: one read says nothing is held under its id.
    if (!(await store.holdsId(objectId))) return null
    const stored = (await store.getObject(objectId)) ?? (await store.getActivity(objectId))
    if (stored && !validateOwner(stored, actor)) return storedOwnerLabel(stored)
    const service = await store.getService(objectId)
    if (service && service.actorId !== actor.id) return service.actorId
    const pool = await store.pools.getPool(objectId)
    if (pool && pool.stewardId !== actor.id) return pool.stewardId
    return null
  }

  return (req, res) => {
    const locals = res.locals.apex
    const body = req.body as { type?: unknown, object?: unknown }
    const type = String(first(body.type) ?? '').toLowerCase()
    const objectId = idOf(body.object)
    const actor = locals.actor as ApexNode | undefined
    if (!locals.target || !actor || !WRITES.includes(type) || objectId === undefined) return
    // A Create or Update naming its object only by IRI writes nothing of the sender's: apex refuses
    // the Update (it needs the object inline) and keeps its stored copy for the Create.
    if (type !== 'delete' && typeof first(body.object) === 'string') return
    // Nearly always a new object, and on SQLite answered without a promise.
    if (store.holdsIdNow(objectId) === false) return
    return otherOwner(objectId, actor).then(owner => {
      if (owner !== null) throw new ForbiddenError(`${objectId} belongs to ${owner} on this hub; ${actor.id} may not ${type} it`)
    })
  }
}

function storedOwnerLabel (stored: ApexNode): string {
  return idOf(stored.attributedTo) ?? idOf(stored.actor) ?? 'another actor'
}
