/**
 * Co-ops that a followed co-op's hub follows, found in two public places: the followed actor's
 * `following` collection (when it lists its members) and its hub's directory feed (co-ops of
 * that hub's own followed siblings). Nothing here is fatal: a sibling without either simply
 * suggests nothing.
 */
import { first, idOf } from '../../domain/activity-streams/nodes'
import type { OutboundClient } from '../../federation/http/outbound-client'
import type { RemoteActors } from '../../federation/remote-actors'
import type { ApexNode } from '../../store/store.port'

/** A co-op seen through a sibling. */
export interface Candidate {
  actorId: string
  name: string | null
}

const MAX_CANDIDATES = 200

/** Candidates from the actor's `following` collection (first page only). */
export async function fromFollowing (remote: RemoteActors, actor: ApexNode): Promise<Candidate[]> {
  const followingId = idOf(actor.following)
  if (!followingId) return []
  const collection = await remote.fetchNode(followingId)
  let items = collection.orderedItems ?? collection.items
  const page = first(collection.first)
  if (items === undefined && page !== undefined) {
    const pageNode = typeof page === 'string' ? await remote.fetchNode(page) : page as ApexNode
    items = pageNode.orderedItems ?? pageNode.items
  }
  const list = Array.isArray(items) ? items : items === undefined ? [] : [items]
  return list.map(i => idOf(i)).filter((id): id is string => typeof id === 'string').slice(0, MAX_CANDIDATES).map(actorId => ({ actorId, name: null }))
}

/** Candidates from the sibling hub's `/directory.json`: co-ops it lists that are not its own. */
export async function fromDirectoryFeed (client: OutboundClient, origin: string, timeoutMs: number): Promise<Candidate[]> {
  const res = await client.request(`${origin}/directory.json`, { accept: 'application/json', timeoutMs, maxBytes: 5 * 1024 * 1024 })
  if (res.status < 200 || res.status >= 300) return []
  let feed: unknown
  try { feed = JSON.parse(res.body) } catch { return [] }
  const entries = (feed as { schema?: unknown, entries?: unknown }).entries
  if ((feed as { schema?: unknown }).schema !== 'ioocloud-directory/0.1' || !Array.isArray(entries)) return []
  const out: Candidate[] = []
  for (const e of entries as Array<Record<string, unknown>>) {
    if (e.local === true || typeof e.actor !== 'string' || !/^https?:\/\//.test(e.actor)) continue
    out.push({ actorId: e.actor, name: typeof e.name === 'string' ? e.name : null })
    if (out.length >= MAX_CANDIDATES) break
  }
  return out
}
