import type { FollowService } from '../../../follows/follow.service'
import { hasType, idOf } from '../../../domain/activity-streams/nodes'
import type { InboxHandler } from './inbox-event'

/** Follow: accept at once, or queue for the co-op's approval. */
export function onFollow (follows: FollowService): InboxHandler {
  return async ({ recipient, activity }) => {
    // A Follow of someone else that reached this co-op (a shared-inbox fan-out) is not its to accept.
    if (idOf(activity.object) !== recipient.id) return
    await follows.received(recipient, activity)
  }
}

/** Accept or Reject of one of our Follows: record the peer's answer. */
export function onFollowAnswer (follows: FollowService, state: 'accepted' | 'rejected'): InboxHandler {
  return async ({ actor, object }) => {
    if (object && hasType(object, 'Follow')) follows.answered(object, state, actor.id)
  }
}
