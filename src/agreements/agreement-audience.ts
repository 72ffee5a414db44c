import { AS_PUBLIC, first } from '../domain/activity-streams/nodes'
import type { ApexNode } from '../store/store.port'

/** Who besides the parties sees an agreement's activities: the public and the acting party's followers. */
export function agreementAudience (actor: ApexNode): string[] {
  const followers = first<string>(actor.followers)
  return followers ? [AS_PUBLIC, followers] : [AS_PUBLIC]
}
