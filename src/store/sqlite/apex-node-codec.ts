/**
 * Pure helpers that turn apex's JSON-LD nodes into SQLite columns and back: the doc is stored
 * without `_meta` (kept in its own column so private keys are only read on purpose).
 */
import type { ApexNode } from '../store.port'
import { first, idOf, idsOf, originOf } from '../../domain/activity-streams/nodes'

/** A JSON object as it comes out of `JSON.parse`. */
export type JsonObject = Record<string, unknown>

/** `_meta` as stored: a JSON object or nothing. */
export type Meta = Record<string, unknown>

/** True for a plain (non-array, non-null) object. */
export function isObject (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses a stored JSON object column. */
export function parseObject (json: string): JsonObject {
  const value: unknown = JSON.parse(json)
  if (!isObject(value)) throw new Error('SqliteStore: stored document is not a JSON object')
  return value
}

/** Parses a nullable `meta` column. */
export function parseMeta (json: string | null): Meta | undefined {
  return json === null ? undefined : parseObject(json)
}

/** Splits a node into its public document (no `_meta`, no MongoDB `_id`) and its `_meta`. */
export function splitMeta (node: JsonObject): { doc: JsonObject, meta: Meta | undefined } {
  // A rest copy rather than `delete`: an object that lost properties is slower to read and to stringify.
  const { _meta: meta, _id: _storeId, ...doc } = node
  return { doc, meta: isObject(meta) ? meta : undefined }
}

/** Joins a stored doc and meta back into a node; `_meta` only when asked for and present. */
export function toNode (doc: string, meta: string | null, includeMeta: boolean): ApexNode {
  const node = parseObject(doc) as ApexNode
  if (includeMeta && meta !== null) node._meta = parseObject(meta)
  return node
}

/** The id of the first value of a property, or null for an SQL column. */
export function firstId (value: unknown): string | null {
  return idOf(value) ?? null
}

/** Every id a property refers to, in order (IRI strings and embedded nodes' ids). */
export const allIds = idsOf

/** The ids of nodes embedded (not merely referenced) in an activity's `object`. */
export function embeddedObjectIds (doc: JsonObject): string[] {
  const values = Array.isArray(doc.object) ? doc.object : [doc.object]
  const ids = values
    .filter(isObject)
    .map(v => v.id)
    .filter((id): id is string => typeof id === 'string')
  return [...new Set(ids)]
}

/**
 * The object a stored Create holds under `objectId` (without `_meta`), as the store keeps a
 * settled Create's object only there; null when it holds none, or when the object is not on its
 * actor's origin: only an actor's own objects are taken from its activity.
 */
export function objectHeldIn (create: JsonObject, objectId: string): JsonObject | null {
  const held = embeddedOnActorsOrigin(create, objectId)
  return held === undefined ? null : splitMeta(held).doc
}

/** The embedded copy of `objectId` in the activity's `object`, when it is on the activity's actor's origin. */
function embeddedOnActorsOrigin (create: JsonObject, objectId: string): JsonObject | undefined {
  const origin = originOf(objectId)
  if (origin === null || origin !== originOf(idOf(create.actor) ?? '')) return undefined
  const values = Array.isArray(create.object) ? create.object : [create.object]
  return values.find((v): v is JsonObject => isObject(v) && v.id === objectId)
}

/** The inbox an activity was received in and the local actor it was received for. */
export interface ReceivedBy { inbox: string, recipientId: string }

/** The recipient a membership of `collection` names: only the inbox it was received in has one. */
export function recipientIn (collection: string, receivedBy: ReceivedBy | undefined): string | null {
  return receivedBy !== undefined && receivedBy.inbox === collection ? receivedBy.recipientId : null
}

/**
 * Whether a received activity's object is served from the activity itself (`objectHeldIn`: it is
 * embedded there, on the activity's actor's origin), so a settled receipt keeps no copy of it.
 */
export function keptInActivity (receipt: { object?: { id: string }, activity: JsonObject }): boolean {
  return receipt.object !== undefined && embeddedOnActorsOrigin(receipt.activity, receipt.object.id) !== undefined
}

/** Replaces embedded copies of `updated` in `doc.object`; answers whether anything changed. */
export function replaceEmbeddedObject (doc: JsonObject, updated: JsonObject): boolean {
  const matches = (v: unknown): boolean => isObject(v) && v.id === updated.id
  if (Array.isArray(doc.object)) {
    if (!doc.object.some(matches)) return false
    doc.object = doc.object.map(v => matches(v) ? updated : v)
    return true
  }
  if (!matches(doc.object)) return false
  doc.object = updated
  return true
}

/** The first type of a node, for the indexed `type` column. */
export function firstType (type: unknown): string | null {
  const value = first(type)
  return typeof value === 'string' ? value : null
}

/** A local actor is one whose private key the hub holds. */
export function isLocalActor (meta: Meta | undefined): boolean {
  return meta?.privateKey !== undefined && meta.privateKey !== null
}

/** Applies a MongoDB-style partial update: each top-level key is set, a `null` value unsets it. */
export function mergeTopLevel (target: JsonObject, changes: JsonObject): JsonObject {
  const merged: JsonObject = { ...target }
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'id' || key === '_id') continue
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  return merged
}

/** Equality as MongoDB compares documents in `$addToSet`/`$pull` (key order matters). */
export function jsonEqual (a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** `_meta.collection` as a list of collection IRIs. */
export function collectionsOf (meta: Meta | undefined): string[] {
  const value = meta?.collection
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return [...new Set(values.filter((v): v is string => typeof v === 'string'))]
}
