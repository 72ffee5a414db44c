/**
 * Reading JSON-LD nodes as apex stores them (every property possibly an array, a reference an
 * IRI string or an embedded node). The one module of these helpers: the store, the federation
 * core and the features all read nodes the same way.
 */
import { canonicalAuthority } from './canonical-authority'

/** The public address, as peers write it in full. */
export const AS_PUBLIC = 'https://www.w3.org/ns/activitystreams#Public'

/** Every way the public address appears: in full, compacted against the hub context, or bare. */
export const PUBLIC_ADDRESSES: readonly string[] = [AS_PUBLIC, 'as:Public', 'Public']

/** True when an audience entry is the public address in any of its forms. */
export function isPublicAddress (value: unknown): boolean {
  return typeof value === 'string' && PUBLIC_ADDRESSES.includes(value)
}

/** The first value of a property (apex keeps every property as an array). */
export function first<T = unknown> (value: unknown): T | undefined {
  return (Array.isArray(value) ? value[0] : value) as T | undefined
}

/** The id of the first value of a property: an IRI string or an embedded node's `id`. */
export function idOf (value: unknown): string | undefined {
  const v = first(value)
  if (typeof v === 'string') return v
  if (v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id
  return undefined
}

/** Every id a property refers to, in order (IRI strings and embedded nodes' ids). */
export function idsOf (value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value]
  return values.map(v => idOf(v)).filter((id): id is string => id !== undefined)
}

/** The types of a node (its `type`, a string or an array), as a list of strings. */
export function typesOf (node: unknown): string[] {
  if (node === null || typeof node !== 'object') return []
  const t = (node as { type?: unknown }).type
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string')
}

/** True when a node's type (string or array) includes `type`. */
export function hasType (node: { type?: unknown } | null | undefined, type: string): boolean {
  const t = node?.type
  return Array.isArray(t) ? t.includes(type) : t === type
}

/** A finite number from a JSON-LD value: a number, a numeric string, or a `{"@value": …}` literal. */
export function numberOf (value: unknown): number | undefined {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['@value'] : value
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** The origin (scheme, host and port) of an http(s) IRI; null for anything else. */
export function originOf (iri: string): string | null {
  const authority = canonicalAuthority(iri)
  if (authority !== null) return iri.slice(0, authority.end)
  try {
    const url = new URL(iri)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  } catch {
    return null
  }
}

/** The hub an actor id is on (its origin); the id itself when it is no http(s) IRI. */
export function hubOf (actorId: string): string {
  return originOf(actorId) ?? actorId
}
