import type { HubChanges } from '../events/hub-changes'
import { hasType, idOf } from '../domain/activity-streams/nodes'
import { ACTOR_TYPES } from '../domain/activity-streams/object-types'
import { ANY_OBJECT, type InboxHandler, type InboxRegistry } from '../federation/inbox/inbox-registry'
import type { FollowService } from './follow.service'

/**
 * Follows and the peers they connect: a Follow of a local co-op (accepted at once or queued for
 * its approval), a peer's Accept or Reject of one of our Follows, and a peer's Update of its own
 * actor. A followed peer and an updated profile are published on `changes` (the directory lists
 * followed co-ops).
 */
export function registerFollowsInbox (registry: InboxRegistry, follows: FollowService, changes: HubChanges): void {
  registry
    .on('Follow', ANY_OBJECT, onFollow(follows))
    .on('Accept', 'Follow', onFollowAnswer(follows, changes, 'accepted'))
    .on('Reject', 'Follow', onFollowAnswer(follows, changes, 'rejected'))
  for (const actorType of ACTOR_TYPES) registry.on('Update', actorType, onActorUpdated(changes))
  // apex may hand over the deleted actor as its cached copy or, once replaced, as a Tombstone.
  for (const type of [...ACTOR_TYPES, 'Tombstone']) registry.on('Delete', type, onActorDeleted(changes))
}

/** Follow: accept at once, or queue for the co-op's approval. */
function onFollow (follows: FollowService): InboxHandler {
  return async ({ recipient, activity }) => {
    // A Follow of someone else that reached this co-op (a shared-inbox fan-out) is not its to accept.
    if (idOf(activity.object) !== recipient.id) return
    await follows.received(recipient, activity)
  }
}

/** Accept or Reject of one of our Follows: record the peer's answer; an accepted peer joins the directory. */
function onFollowAnswer (follows: FollowService, changes: HubChanges, state: 'accepted' | 'rejected'): InboxHandler {
  return async ({ actor, object }) => {
    if (!object || !hasType(object, 'Follow')) return
    await follows.answered(object, state, actor.id)
    if (state === 'accepted') await changes.publish({ type: 'followed', actorId: actor.id })
  }
}

/** Delete of the sender's own actor: what the hub kept of it (services, follows, its entry) goes. */
function onActorDeleted (changes: HubChanges): InboxHandler {
  return async ({ actor, activity }) => {
    if (idOf(activity.object) === actor.id) await changes.publish({ type: 'actor-deleted', actorId: actor.id })
  }
}

/** Update of the sender's own actor (apex has stored the new profile): its directory entry follows. */
function onActorUpdated (changes: HubChanges): InboxHandler {
  return async ({ actor, activity }) => {
    if (idOf(activity.object) === actor.id) await changes.publish({ type: 'actor', actorId: actor.id })
  }
}
