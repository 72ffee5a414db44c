import type { InboxRegistry } from '../federation/inbox/inbox-registry'
import type { MembershipService } from './membership.service'
import type { UmbrellaMembershipService } from './umbrella-membership.service'

/**
 * The umbrella's inbox handlers: Join and Leave reach a local umbrella; Accept and Reject of a
 * Join reach the co-op that sent it; Add and Remove to an umbrella's members collection keep
 * each hub's copy of the member list.
 */
export function registerUmbrellasInbox (registry: InboxRegistry, umbrellaSide: UmbrellaMembershipService, memberSide: MembershipService): void {
  registry
    .on('Join', 'ioo:Umbrella', async ({ recipient, actor, activity }) => { await umbrellaSide.receivedJoin(recipient, actor, activity) })
    .on('Leave', 'ioo:Umbrella', async ({ recipient, actor, activity }) => { await umbrellaSide.receivedLeave(recipient, actor, activity) })
    .on('Accept', 'Join', async ({ recipient, actor, object }) => { if (object) await memberSide.answered(recipient, actor, object, 'member') })
    .on('Reject', 'Join', async ({ recipient, actor, object }) => { if (object) await memberSide.answered(recipient, actor, object, 'refused') })
    // The object of these is an actor of any type (a co-op, an umbrella, a Mastodon group): the
    // handler checks that the target is the sender's own members collection.
    .on('Add', '*', async ({ actor, activity }) => { await memberSide.memberListChanged(actor, activity, 'Add') })
    .on('Remove', '*', async ({ actor, activity }) => { await memberSide.memberListChanged(actor, activity, 'Remove') })
}
