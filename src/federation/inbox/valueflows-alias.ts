import { RequestHandler } from 'express'

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

/**
 * After the signature was checked against the raw bytes: maps Bonfire's ValueFlows namespace to
 * the one the hub uses, before JSON-LD processing, so a Bonfire `ValueFlows:Agreement` reads as
 * `vf:Agreement` everywhere after. Only whole IRIs starting with the namespace are rewritten.
 */
export const valueFlowsAlias: RequestHandler = (req, _res, next) => {
  if (req.body && typeof req.body === 'object' && JSON.stringify(req.body).includes(VF_BONFIRE_NAMESPACE)) {
    req.body = aliasValueFlows(req.body)
  }
  next()
}
