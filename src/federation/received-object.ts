/**
 * The checks every federated object gets before the hub keeps it: its schema, and that the
 * sender really is the one who may publish it (attributed to the sender, id on the sender's
 * server). One place for what services, pools, pledges and agreements all check.
 */
import type { SchemaName, SchemaTypes, SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode } from '../store/store.port'
import type { Apex } from './apex-setup'

/** A federated node as the plain object its schema describes (compacted, no `@context`), or why it is not one. */
export async function checkedObject<N extends SchemaName> (apex: Apex, schemas: SchemaValidator, schema: N, node: ApexNode, what: string): Promise<SchemaTypes[N] | string> {
  const doc = await apex.toJSONLD(node)
  delete doc['@context']
  try {
    return schemas.validate(schema, doc, what)
  } catch (err) {
    return (err as Error).message
  }
}

/** Why an object with this id cannot come from `senderId` (it lives on another server), or null. */
export function originProblem (id: string, senderId: string): string | null {
  return new URL(id).origin === new URL(senderId).origin ? null : `its id ${id} is not on its sender's server`
}

/** Why an object cannot be the sender's own: attributed to someone else, or its id on another server; or null. */
export function ownershipProblem (object: { id: string, attributedTo: string }, senderId: string): string | null {
  if (object.attributedTo !== senderId) return `it is attributed to ${object.attributedTo}, not to its sender ${senderId}`
  return originProblem(object.id, senderId)
}
