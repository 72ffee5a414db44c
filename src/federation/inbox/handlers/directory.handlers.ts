import type { HubChanges } from '../../../events/hub-changes'
import type { DirectoryService } from '../../../directory/directory.service'
import { hasType, idOf } from '../../apex-setup'
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

/** Delete of the sender's own actor: its services, follows of it and its directory entry go. */
export function onActorDeletedForDirectory (directory: DirectoryService): InboxHandler {
  return async ({ actor, activity }) => {
    if (idOf(activity.object) === actor.id) await directory.forgetDeletedActor(actor.id)
  }
}
