import type { HubStore } from '../../store/store.port'
import { first } from '../../domain/activity-streams/nodes'

/**
 * After an inbox answered 404 or 410, removes from the sending actor's followers every follower
 * whose inbox (or shared inbox) it was, so nothing is queued for them again. Answers the ids of
 * the followers removed. Each removal is one store update; a crash in between leaves followers
 * that the next 404/410 prunes.
 */
export async function pruneFollowersAt (store: HubStore, senderId: string, address: string): Promise<string[]> {
  const sender = await store.getObject(senderId)
  const followers = first<string>(sender?.followers)
  if (!followers) return []
  const pruned: string[] = []
  for (const follow of await store.getStream(followers, null)) {
    const follower = first<Record<string, unknown>>(follow.actor)
    if (!follower || typeof follower !== 'object') continue
    const inbox = first<string>(follower.inbox)
    const shared = first<string>(first<Record<string, unknown>>(follower.endpoints)?.sharedInbox)
    if (inbox !== address && shared !== address) continue
    await store.updateActivityMeta({ id: follow.id }, 'collection', followers, true)
    pruned.push(String(follower.id))
  }
  return pruned
}
