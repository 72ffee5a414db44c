import type { Apex } from '../apex-setup'
import type { ApexNode } from '../../store/store.port'

/** A stored node as plain compacted JSON-LD, without its context or private bookkeeping (to edit and store again). */
export async function plainDocument (apex: Apex, node: ApexNode): Promise<Record<string, unknown>> {
  const copy: Record<string, unknown> = { ...node }
  delete copy._meta
  const doc = await apex.toJSONLD(copy) as Record<string, unknown>
  delete doc['@context']
  return doc
}
