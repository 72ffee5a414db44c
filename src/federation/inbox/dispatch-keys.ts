import { first, idOf, typesOf } from '../../domain/activity-streams/nodes'
import type { ApexNode } from '../../store/store.port'
import { isEmbeddedNode } from '../activity-guards'
import { ANY_OBJECT, type InboxEvent } from './inbox-registry'

/**
 * The object an event is about: the one the inbox resolved, else the one embedded in the
 * activity (apex resolves none for an Offer, whose object is always embedded), else the
 * recipient when the activity names it (apex resolves none for a Join or Leave of a local actor).
 */
export function objectOfEvent (event: InboxEvent): ApexNode | undefined {
  // apex hands some objects over as a bare IRI (an Add of an actor), or null for one it does not hold (an Undo of an unknown activity): only a node counts as resolved.
  if (isEmbeddedNode(event.object)) return event.object
  const embedded = first(event.activity.object)
  if (isEmbeddedNode(embedded)) return embedded
  return idOf(embedded) === event.recipient.id ? event.recipient : undefined
}

/**
 * The (activity type, object type) pairs that may handle an event, most specific first: for an
 * object that is itself an activity, `Type(InnerType)` (e.g. `Offer(ioo:Pledge)`); then each of
 * the object's types; then `*`. Multi-typed activities try each of their types in order.
 */
export function routeCandidates (event: InboxEvent): Array<[string, string]> {
  const object = objectOfEvent(event)
  const objectTypes = typesOf(object)
  const innerTypes = typesOf(innerNode(object))
  const out: Array<[string, string]> = []
  for (const activityType of typesOf(event.activity)) {
    for (const outer of objectTypes) for (const inner of innerTypes) out.push([activityType, `${outer}(${inner})`])
    for (const outer of objectTypes) out.push([activityType, outer])
    out.push([activityType, ANY_OBJECT])
  }
  return out
}

/**
 * What orders an event against others: the thing it is about. For an Accept, Reject or Undo of
 * an activity that is the activity's own object (a pledge's Offer and its answer and withdrawal
 * are about one pledge); a node that names a `context` belongs to it (a pledge to its pool, an
 * agreement's later versions to the agreement), so all the events of one pool or agreement run in
 * order; otherwise the object's id, and the activity's own id when there is no object.
 */
export function orderingKey (event: InboxEvent): string {
  const object = objectOfEvent(event)
  const inner = object !== undefined && 'object' in object ? first(object.object) : undefined
  const subject: unknown = inner ?? object
  const context = isEmbeddedNode(subject) ? idOf(subject.context) : undefined
  return context ?? idOf(subject) ?? idOf(event.activity.object) ?? event.activity.id
}

function innerNode (object: ApexNode | undefined): ApexNode | undefined {
  const inner = object === undefined ? undefined : first(object.object)
  return isEmbeddedNode(inner) ? inner : undefined
}
