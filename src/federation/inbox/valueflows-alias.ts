import type { InboxStep } from './inbox-steps'

/** ValueFlows as FEP-0837 and Fedify name it: the namespace the hub sends. */
export const VF_NAMESPACE = 'https://w3id.org/valueflows/ont/vf#'
/** ValueFlows as Bonfire names it; accepted on input as an alias of `VF_NAMESPACE`. */
export const VF_BONFIRE_NAMESPACE = 'https://w3id.org/valueflows#'

/** Rewrites every IRI (key, value or context entry) in Bonfire's ValueFlows namespace to FEP-0837's. */
export function aliasValueFlows (value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith(VF_BONFIRE_NAMESPACE) ? VF_NAMESPACE + value.slice(VF_BONFIRE_NAMESPACE.length) : value
  if (Array.isArray(value)) return value.map(aliasValueFlows)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[aliasValueFlows(key) as string] = aliasValueFlows(v)
  return out
}

/** True when some key or string value in `value` (parsed JSON) starts with Bonfire's namespace. */
export function mentionsBonfireValueFlows (value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith(VF_BONFIRE_NAMESPACE)
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some(mentionsBonfireValueFlows)
  for (const key in value) {
    if (key.startsWith(VF_BONFIRE_NAMESPACE) || mentionsBonfireValueFlows((value as Record<string, unknown>)[key])) return true
  }
  return false
}

/**
 * After the signature was checked against the raw bytes: maps Bonfire's ValueFlows namespace to
 * the one the hub uses, before JSON-LD processing, so a Bonfire `ValueFlows:Agreement` reads as
 * `vf:Agreement` everywhere after. Only whole IRIs starting with the namespace are rewritten; a
 * body with none is left as it is, found by a walk that stops at the first (no copy, no string of
 * the whole body: this runs on every received activity).
 */
export const valueFlowsAlias: InboxStep = req => {
  if (mentionsBonfireValueFlows(req.body)) req.body = aliasValueFlows(req.body)
}
