/**
 * Typed guards for what the inbox receives: they replace casts of JSON-LD values (an IRI string
 * or an embedded node) with checks. Object types come from `domain/activity-streams/object-types`,
 * which a test checks against `schemas/objects/`.
 */
import { first, hasType } from '../domain/activity-streams/nodes'
import type { ApexNode } from '../store/store.port'

/** True when a JSON-LD value is an embedded node (an object with a type), not an IRI reference. */
export function isEmbeddedNode (value: unknown): value is ApexNode {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const type = (value as { type?: unknown }).type
  return typeof type === 'string' || (Array.isArray(type) && type.length > 0 && type.every(t => typeof t === 'string'))
}

/** True when a value is an embedded node of type `type`. */
export function isNodeOfType (value: unknown, type: string): value is ApexNode {
  return isEmbeddedNode(value) && hasType(value, type)
}

/** The node embedded as the first value of a property (an activity's `object`, an Accept's `result`), if any. */
export function embeddedNode (value: unknown): ApexNode | undefined {
  const node = first(value)
  return isEmbeddedNode(node) ? node : undefined
}

/** The embedded node of type `type` that is the first value of a property, if any. */
export function embeddedNodeOfType (value: unknown, type: string): ApexNode | undefined {
  const node = embeddedNode(value)
  return node !== undefined && hasType(node, type) ? node : undefined
}

/** True when an activity is of type `activityType` and its object (embedded) is of type `objectType`: e.g. an Offer of a Pledge. */
export function isActivityOf (node: unknown, activityType: string, objectType: string): node is ApexNode {
  return isNodeOfType(node, activityType) && embeddedNodeOfType(node.object, objectType) !== undefined
}
