/**
 * Reads the items of a remote (Ordered)Collection: inline items, or its pages (`first`, then
 * `next`), bounded. Items given only by id are fetched from their origin.
 */
import { RemoteError } from '../../errors/app-errors'
import { first, idOf } from '../../domain/activity-streams/nodes'
import type { RemoteActors } from '../../federation/remote-actors'
import type { ApexNode } from '../../store/store.port'

const MAX_PAGES = 20
const MAX_ITEMS = 2000

function itemsOf (node: ApexNode): unknown[] {
  const items = node.orderedItems ?? node.items
  return Array.isArray(items) ? items : items === undefined ? [] : [items]
}

/** Every item node of the collection at `collectionId` (fetched, signed, same-origin checked). */
export async function readCollection (remote: RemoteActors, collectionId: string): Promise<ApexNode[]> {
  const collection = await remote.fetchNode(collectionId)
  const raw: unknown[] = [...itemsOf(collection)]
  let page = first(collection.first)
  for (let n = 0; page !== undefined && n < MAX_PAGES && raw.length < MAX_ITEMS; n++) {
    const pageNode = typeof page === 'string' ? await remote.fetchNode(page) : page as ApexNode
    raw.push(...itemsOf(pageNode))
    const next = idOf(pageNode.next)
    page = next && next !== pageNode.id ? next : undefined
  }
  const nodes: ApexNode[] = []
  for (const item of raw.slice(0, MAX_ITEMS)) {
    if (typeof item === 'string') nodes.push(await remote.fetchNode(item))
    else if (item && typeof item === 'object' && typeof (item as ApexNode).id === 'string') nodes.push(item as ApexNode)
    else throw new RemoteError(`${collectionId} lists an item without an id`)
  }
  return nodes
}
