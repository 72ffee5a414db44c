import { readSchemaFile } from '../../schemas/schema-files'

/** Where the hub's vocabulary lives; documents carry the terms inline, so nothing is fetched from it. */
export const HUB_NAMESPACE = 'https://w3id.org/ioocloud/ns#'
export const HUB_CONTEXT_URL = 'https://w3id.org/ioocloud/ns'

let terms: Record<string, unknown> | undefined

/** The hub's term definitions (the object inside schemas/context.jsonld's `@context`). */
export function hubContextTerms (): Record<string, unknown> {
  terms ??= readSchemaFile('context.jsonld')['@context'] as Record<string, unknown>
  return terms
}

/** The whole context document, as served at /ns. */
export function hubContextDocument (): Record<string, unknown> {
  return { '@context': hubContextTerms() }
}
