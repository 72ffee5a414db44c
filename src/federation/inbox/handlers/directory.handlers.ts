import type { HubChanges } from '../../../events/hub-changes'
import { hasType, idOf } from '../../../domain/activity-streams/nodes'
import type { InboxHandler } from './inbox-event'

/** Accept of one of our Follows: the followed co-op joins the directory (registered after the follow handler). */
export function onFollowAcceptedForDirectory (changes: HubChanges): InboxHandler {
  return async ({ actor, object }) => {
    if (object && hasType(object, 'Follow')) await changes.publish({ type: 'actor', actorId: actor.id })
  }
}

/** Update of the sender's own actor (apex has stored the new profile): its directory entry follows. */
export function onActorUpdatedForDirectory (changes: HubChanges): InboxHandler {
  return async ({ actor, activity }) => {
    if (idOf(activity.object) === actor.id) await changes.publish({ type: 'actor', actorId: actor.id })
  }
}
