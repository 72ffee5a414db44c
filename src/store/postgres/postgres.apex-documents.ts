/**
 * apex's half of the store on PostgreSQL: the object cache (remote objects and local actors),
 * the JSON-LD context cache and the activity streams, with the semantics of apex's MongoDB store
 * as the SQLite store has them. Private keys live in `meta`, never in `doc`. `_meta.collection`
 * is mirrored into `stream_collections`, so collection pages are index scans; `streams.seq` is
 * the page cursor apex sees as `_id`. jsonb keeps no key order, so documents compare by content.
 */
import crypto from 'node:crypto'
import type { ApexNode, ContextRecord } from '../store.port'
// Pure helpers on apex's nodes (no SQLite in them), shared by both adapters.
import {
  allIds, collectionsOf, embeddedObjectIds, firstId, firstType, isLocalActor, isObject, mergeTopLevel,
  objectHeldIn, recipientIn, replaceEmbeddedObject, splitMeta, type JsonObject, type Meta, type ReceivedBy
} from '../sqlite/apex-node-codec'
import { deliveryTargetOf } from '../sqlite/delivery-target'
import type { PostgresDatabase, Queryable } from './postgres-database'

interface DocRow { doc: JsonObject, meta: Meta | null }
interface Membership { collection: string, recipient: string | null }
interface StreamRow extends DocRow { seq: number }

/** The message apex's collection route turns into a 400. */
const INVALID_PAGE = 'ApexStore: invalid page value'
/** Cursors are `String(seq)`; 15 digits stay within a safe integer. */
const CURSOR = /^[0-9]{1,15}$/

/**
 * apex's objects, contexts and streams on the hub's PostgreSQL database. As on SQLite, the object
 * of a Create received where no handler runs is kept once, inside its activity, and read from
 * there until an update gives it a row (`heldInCreateOn`).
 */
export class PostgresApexDocuments {
  /** `now` (ms) stamps the processed records an activity leaving an inbox writes. */
  constructor (private readonly db: PostgresDatabase, private readonly now: () => number = Date.now) {}

  /** See `ApexStore.setup`: stores (replaces) the initial user with its `_meta`. */
  async setup (initialUser?: ApexNode): Promise<ApexNode | undefined> {
    if (initialUser === undefined) return undefined
    await upsertObjectOn(this.db, initialUser)
    return initialUser
  }

  /** See `ApexStore.getObject`: `_meta` only when `includeMeta` is exactly true. */
  async getObject (id: string, includeMeta?: boolean): Promise<ApexNode | null> {
    const row = (await this.db.query<DocRow>('SELECT doc, meta FROM objects WHERE id = $1', [id])).rows[0]
    if (row !== undefined) return toNode(row, includeMeta === true)
    return await heldInCreateOn(this.db, id) as ApexNode | null
  }

  /** See `ApexStore.saveObject`: first writer wins. */
  async saveObject (object: ApexNode): Promise<boolean> {
    return await saveObjectOn(this.db, object)
  }

  /** See `ApexStore.updateObject`; a full replace without `_meta` keeps the stored one (private keys). */
  async updateObject (object: ApexNode, _actorId: string | null, fullReplace: boolean): Promise<ApexNode | undefined> {
    return await this.db.transaction(async tx => await updateObjectOn(tx, object, fullReplace))
  }

  /** See `ApexStore.getUserCount`: local actors, but the instance actor (Application). */
  async getUserCount (): Promise<number> {
    return (await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM objects WHERE local_actor AND (type IS NULL OR type <> 'Application')")).rows[0].n
  }

  /** See `ApexStore.getContext`. */
  async getContext (documentUrl: string): Promise<ContextRecord | null> {
    const row = (await this.db.query<{ context_url: string | null, document_url: string, document: unknown }>(
      'SELECT context_url, document_url, document FROM contexts WHERE document_url = $1', [documentUrl])).rows[0]
    return row === undefined ? null : { contextUrl: row.context_url, documentUrl: row.document_url, document: row.document }
  }

  /** See `ApexStore.saveContext`: upserts; a document given as JSON text is stored parsed. */
  async saveContext ({ contextUrl, documentUrl, document }: ContextRecord): Promise<boolean> {
    const text = typeof document === 'string' ? document : JSON.stringify(document)
    await this.db.query(`INSERT INTO contexts (document_url, context_url, document) VALUES ($1, $2, $3)
      ON CONFLICT (document_url) DO UPDATE SET context_url = excluded.context_url, document = excluded.document`, [documentUrl, contextUrl ?? null, text])
    return true
  }

  /** See `ApexStore.generateId`. */
  generateId (): string {
    return crypto.randomBytes(16).toString('hex')
  }

  /** See `ApexStore.saveActivity`: falsy when an activity with its id exists. */
  async saveActivity (activity: ApexNode): Promise<true | undefined> {
    return await this.db.transaction(async tx => await saveActivityOn(tx, activity))
  }

  /** See `ApexStore.getActivity`: `_meta` when `includeMeta` is truthy (as apex's MongoDB store). */
  async getActivity (id: string, includeMeta?: boolean): Promise<ApexNode | null> {
    const row = (await this.db.query<StreamRow>('SELECT seq, doc, meta FROM streams WHERE id = $1', [id])).rows[0]
    return row === undefined ? null : toNode(row, Boolean(includeMeta))
  }

  /** See `ApexStore.findActivityByCollectionAndObjectId`: the first stored, as MongoDB's natural order. */
  async findActivityByCollectionAndObjectId (collection: string, objectId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return await this.firstIn(collection, 's.object_id', objectId, Boolean(includeMeta))
  }

  /** See `ApexStore.findActivityByCollectionAndActorId`. */
  async findActivityByCollectionAndActorId (collection: string, actorId: string, includeMeta?: boolean): Promise<ApexNode | null> {
    return await this.firstIn(collection, 's.actor_id', actorId, Boolean(includeMeta))
  }

  /** See `ApexStore.getStream`: newest first, from `after`, without blocked actors or items whose actor is not cached. */
  async getStream (collection: string, limit: number | null, after?: string | null, blockList?: string[], query?: unknown): Promise<Array<ApexNode & { _id: string }>> {
    if (query !== undefined && query !== null && !(Array.isArray(query) && query.length === 0)) {
      throw new Error('ApexStore: MongoDB aggregation queries (getStream query) are not supported by the PostgreSQL store')
    }
    // As in apex, the limit applies before items with uncached actors are dropped.
    const rows = (await this.db.query<StreamRow>(`
      SELECT s.seq, s.doc, s.meta FROM stream_collections c JOIN streams s ON s.seq = c.seq
      WHERE c.collection = $1 AND ($2::bigint IS NULL OR c.seq < $2)
        AND (s.actor_id IS NULL OR NOT (s.actor_id = ANY ($3::text[])))
      ORDER BY c.seq DESC LIMIT $4`,
    [collection, parseCursor(after), blockList ?? [], limit !== null && limit > 0 ? limit : null])).rows
    const actorIds = [...new Set(rows.flatMap(r => allIds(r.doc.actor)))]
    const actors = new Map((await this.db.query<{ id: string, doc: JsonObject }>('SELECT id, doc FROM objects WHERE id = ANY ($1::text[])', [actorIds])).rows.map(r => [r.id, r.doc]))
    const items: Array<ApexNode & { _id: string }> = []
    for (const row of rows) {
      const actor = allIds(row.doc.actor).map(id => actors.get(id)).filter((a): a is JsonObject => a !== undefined)
      if (actor.length === 0) continue
      items.push({ ...(stripEmbeddedMeta(row.doc) as ApexNode), actor, _id: String(row.seq) })
    }
    return items
  }

  /** See `ApexStore.getStreamCount`. */
  async getStreamCount (collection: string): Promise<number> {
    // Kept by a trigger on stream_collections (migration 9): no counting scan per request.
    const row = (await this.db.query<{ n: number }>('SELECT total AS n FROM collection_counts WHERE collection = $1', [collection])).rows[0]
    return row?.n ?? 0
  }

  /** See `ApexStore.removeActivity`; collection membership goes with it (ON DELETE CASCADE). */
  async removeActivity (activity: { id: string }, actorId: string): Promise<{ deletedCount: number }> {
    return await this.db.transaction(async tx => {
      const row = (await tx.query<{ seq: number }>('SELECT seq FROM streams WHERE id = $1 AND actor_id = $2 FOR UPDATE', [activity.id, actorId])).rows[0]
      if (row === undefined) return { deletedCount: 0 }
      await rememberLeavingOn(tx, row.seq, (await membershipsOn(tx, row.seq)).map(m => m.collection), this.stamp())
      return { deletedCount: (await tx.query('DELETE FROM streams WHERE seq = $1', [row.seq])).rowCount ?? 0 }
    })
  }

  /** See `ApexStore.updateActivity`; keeps the stored `_meta` unless the update carries one. */
  async updateActivity (activity: ApexNode, fullReplace: boolean): Promise<ApexNode> {
    return await this.db.transaction(async (tx): Promise<ApexNode> => {
      const row = (await tx.query<StreamRow>('SELECT seq, doc, meta FROM streams WHERE id = $1 FOR UPDATE', [activity.id])).rows[0]
      // MongoDB answers the given activity when nothing matched; so does this store.
      if (row === undefined) return activity
      const storedMeta = row.meta ?? undefined
      const { doc: given } = splitMeta(activity)
      const doc = fullReplace ? given : mergeTopLevel(row.doc, given)
      const meta = isObject(activity._meta) ? activity._meta : (!fullReplace && activity._meta === null ? undefined : storedMeta)
      if (!sameJson(doc, row.doc) || !sameJson(meta, storedMeta)) {
        await rewrite(tx, row.seq, doc, meta, this.stamp())
        await refreshEmbeddedCopies(tx, doc)
      }
      return meta === undefined ? doc as ApexNode : { ...doc, _meta: meta } as ApexNode
    })
  }

  /** See `ApexStore.updateActivityMeta`: `$addToSet` / `$pull` on `_meta[key]`. */
  async updateActivityMeta (activity: { id: string }, key: string, value: unknown, remove?: boolean): Promise<ApexNode> {
    return await this.db.transaction(async tx => await updateActivityMetaOn(tx, activity, key, value, remove, undefined, this.stamp()))
  }

  private stamp (): string {
    return new Date(this.now()).toISOString()
  }

  private async firstIn (collection: string, column: 's.object_id' | 's.actor_id', value: string, includeMeta: boolean): Promise<ApexNode | null> {
    const row = (await this.db.query<StreamRow>(`SELECT s.seq, s.doc, s.meta FROM stream_collections c JOIN streams s ON s.seq = c.seq
      WHERE c.collection = $1 AND ${column} = $2 ORDER BY s.seq LIMIT 1`, [collection, value])).rows[0]
    return row === undefined ? null : toNode(row, includeMeta)
  }
}

/**
 * `updateActivityMeta` inside the caller's transaction (the inbox's group commit too);
 * `receivedBy` names the recipient when the collection added is the inbox it was received in,
 * `stamp` dates the processed records of an inbox it is taken out of.
 */
export async function updateActivityMetaOn (tx: Queryable, activity: { id: string }, key: string, value: unknown, remove?: boolean,
  receivedBy?: ReceivedBy, stamp = new Date().toISOString()): Promise<ApexNode> {
  const row = (await tx.query<StreamRow>('SELECT seq, doc, meta FROM streams WHERE id = $1 FOR UPDATE', [activity.id])).rows[0]
  if (row === undefined) throw new Error('Error updating activity meta: not found')
  const meta: Meta = row.meta ?? {}
  const current = meta[key]
  const values: unknown[] = Array.isArray(current) ? current : current === undefined ? [] : [current]
  meta[key] = remove === true
    ? values.filter(v => !sameJson(v, value))
    : values.some(v => sameJson(v, value)) ? values : [...values, value]
  await tx.query('UPDATE streams SET meta = $1 WHERE seq = $2', [JSON.stringify(meta), row.seq])
  if (key === 'collection' && typeof value === 'string') {
    if (remove === true) {
      await rememberLeavingOn(tx, row.seq, [value], stamp)
      await tx.query('DELETE FROM stream_collections WHERE collection = $1 AND seq = $2', [value, row.seq])
    } else {
      await tx.query('INSERT INTO stream_collections (collection, seq, recipient) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [value, row.seq, recipientIn(value, receivedBy)])
    }
  }
  return { ...row.doc, _meta: meta } as ApexNode
}

/** Inserts an object unless one with its id exists; on any connection (the outbox's transaction too). */
export async function saveObjectOn (db: Queryable, object: ApexNode): Promise<boolean> {
  const result = await db.query(`INSERT INTO objects (id, type, doc, meta, local_actor, delivery_target) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (id) DO NOTHING`, objectColumns(object))
  return result.rowCount === 1
}

/** Inserts or replaces an object's row. */
async function upsertObjectOn (db: Queryable, object: ApexNode): Promise<void> {
  await db.query(`INSERT INTO objects (id, type, doc, meta, local_actor, delivery_target) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (id) DO UPDATE SET type = excluded.type, doc = excluded.doc, meta = excluded.meta, local_actor = excluded.local_actor,
      delivery_target = excluded.delivery_target`, objectColumns(object))
}

/** `updateObject` inside the caller's transaction. */
export async function updateObjectOn (tx: Queryable, object: ApexNode, fullReplace: boolean): Promise<ApexNode | undefined> {
  const row = (await tx.query<DocRow>('SELECT doc, meta FROM objects WHERE id = $1 FOR UPDATE', [object.id])).rows[0]
  // An object kept only inside a received Create is updated as if it had its row, and gets one.
  const stored = row ?? await heldRow(tx, object.id)
  if (stored === undefined) return undefined
  const storedMeta = stored.meta ?? undefined
  const { doc: given } = splitMeta(object)
  const doc = fullReplace ? given : mergeTopLevel(stored.doc, given)
  const meta: Meta | undefined = isObject(object._meta) ? object._meta : (!fullReplace && object._meta === null ? undefined : storedMeta)
  const changed = !sameJson(doc, stored.doc) || !sameJson(meta, storedMeta)
  if (changed) await upsertObjectOn(tx, (meta === undefined ? doc : { ...doc, _meta: meta }) as ApexNode)
  // Like MongoDB: a full replace answers only when the document changed (modifiedCount),
  // a partial update answers the stored document (without `_meta`) whenever it exists.
  if (fullReplace && !changed) return undefined
  await refreshEmbeddedCopies(tx, doc)
  return fullReplace ? structuredClone(object) : doc as ApexNode
}

/**
 * The object as the first received Create of it holds it, for an object kept only there; null
 * when no Create of it is held, or when the object is not on that Create's actor's origin.
 */
async function heldInCreateOn (db: Queryable, objectId: string): Promise<JsonObject | null> {
  const row = (await db.query<{ doc: JsonObject }>("SELECT doc FROM streams WHERE object_id = $1 AND type = 'Create' ORDER BY seq LIMIT 1", [objectId])).rows[0]
  return row === undefined ? null : objectHeldIn(row.doc, objectId)
}

async function heldRow (tx: Queryable, objectId: string): Promise<DocRow | undefined> {
  const held = await heldInCreateOn(tx, objectId)
  return held === null ? undefined : { doc: held, meta: null }
}

async function membershipsOn (tx: Queryable, seq: number): Promise<Membership[]> {
  return (await tx.query<Membership>('SELECT collection, recipient FROM stream_collections WHERE seq = $1', [seq])).rows
}

/**
 * Remembers as processed the inbox receipts of the activity at `seq` in `collections`, before it
 * leaves them: a settled receipt had no record but its row, and a replay must stay a repeat until
 * pruned. A record already kept stays as is.
 */
async function rememberLeavingOn (tx: Queryable, seq: number, collections: readonly string[], stamp: string): Promise<void> {
  if (collections.length === 0) return
  await tx.query(`INSERT INTO inbox_processed (sender, activity_id, recipient_id, processed_at)
    SELECT s.actor_id, s.id, c.recipient, $3::timestamptz FROM streams s JOIN stream_collections c ON c.seq = s.seq
    WHERE s.seq = $1 AND s.actor_id IS NOT NULL AND c.recipient IS NOT NULL AND c.collection = ANY($2::text[])
    ON CONFLICT DO NOTHING`, [seq, collections, stamp])
}

/** `saveActivity` inside the caller's transaction; `receivedBy` names the recipient of the inbox it was received in. */
export async function saveActivityOn (tx: Queryable, activity: ApexNode, receivedBy?: ReceivedBy): Promise<true | undefined> {
  const { doc, meta } = splitMeta(activity)
  const inserted = (await tx.query<{ seq: number }>(`INSERT INTO streams (id, type, actor_id, object_id, doc, meta) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (id) DO NOTHING RETURNING seq`,
  [activity.id, firstType(doc.type), firstId(doc.actor), firstId(doc.object), JSON.stringify(doc), meta === undefined ? null : JSON.stringify(meta)])).rows[0]
  if (inserted === undefined) return undefined
  await indexStream(tx, inserted.seq, doc, meta, receivedBy === undefined ? [] : [{ collection: receivedBy.inbox, recipient: receivedBy.recipientId }])
  return true
}

/** Replaces every copy of `object` embedded in an activity's `object` (MongoDB's updateObjectCopies). */
async function refreshEmbeddedCopies (tx: Queryable, object: JsonObject): Promise<void> {
  if (typeof object.id !== 'string') return
  const { doc: copy } = splitMeta(object)
  const rows = (await tx.query<{ seq: number, doc: JsonObject }>(`SELECT s.seq, s.doc FROM stream_embedded_objects e JOIN streams s ON s.seq = e.seq
    WHERE e.object_id = $1 FOR UPDATE OF s`, [object.id])).rows
  for (const row of rows) {
    if (replaceEmbeddedObject(row.doc, copy)) await tx.query('UPDATE streams SET doc = $1 WHERE seq = $2', [JSON.stringify(row.doc), row.seq])
  }
}

/** Writes a whole stream row and brings its collection and embedded-object rows in step (recipients kept). */
async function rewrite (tx: Queryable, seq: number, doc: JsonObject, meta: Meta | undefined, stamp: string): Promise<void> {
  const kept = collectionsOf(meta)
  const before = await membershipsOn(tx, seq)
  await rememberLeavingOn(tx, seq, before.map(m => m.collection).filter(c => !kept.includes(c)), stamp)
  await tx.query('UPDATE streams SET type = $1, actor_id = $2, object_id = $3, doc = $4, meta = $5 WHERE seq = $6',
    [firstType(doc.type), firstId(doc.actor), firstId(doc.object), JSON.stringify(doc), meta === undefined ? null : JSON.stringify(meta), seq])
  await tx.query('DELETE FROM stream_collections WHERE seq = $1', [seq])
  await tx.query('DELETE FROM stream_embedded_objects WHERE seq = $1', [seq])
  await indexStream(tx, seq, doc, meta, before)
}

async function indexStream (tx: Queryable, seq: number, doc: JsonObject, meta: Meta | undefined, recipients: readonly Membership[]): Promise<void> {
  // Sorted: the count trigger locks each collection's row, always in the same order (no deadlock).
  const collections = [...collectionsOf(meta)].sort()
  const recipientOf = (collection: string): string | null => recipients.find(m => m.collection === collection)?.recipient ?? null
  if (collections.length) {
    await tx.query(`INSERT INTO stream_collections (collection, seq, recipient) SELECT c, $2, r FROM unnest($1::text[], $3::text[]) AS t (c, r)
      ON CONFLICT DO NOTHING`, [collections, seq, collections.map(recipientOf)])
  }
  const embedded = embeddedObjectIds(doc)
  if (embedded.length) await tx.query('INSERT INTO stream_embedded_objects (object_id, seq) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [embedded, seq])
}

/** The `objects` row for a node: id, type, doc without `_meta`, meta, the local-actor flag, the delivery target. */
function objectColumns (node: ApexNode): [string, string | null, string, string | null, boolean, string | null] {
  const { doc, meta } = splitMeta(node)
  return [node.id, firstType(doc.type), JSON.stringify(doc), meta === undefined ? null : JSON.stringify(meta), isLocalActor(meta), deliveryTargetOf(doc)]
}

/** Joins a stored doc and meta into a node; `_meta` only when asked for and present. */
function toNode (row: DocRow, includeMeta: boolean): ApexNode {
  const node = { ...row.doc } as ApexNode
  if (includeMeta && row.meta !== null) node._meta = row.meta
  return node
}

/** Equal JSON values whatever the order of their keys (jsonb does not keep it). */
export function sameJson (a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))
}

function sorted (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.keys(value).sort().map(k => [k, sorted(value[k])]))
}

/** Turns apex's `after` cursor into a seq bound; anything but a decimal integer is refused. */
function parseCursor (after: unknown): number | null {
  // apex's MongoDB store treats every falsy cursor as "first page".
  if (after === undefined || after === null || after === '' || after === 0) return null
  if (typeof after === 'number' && Number.isSafeInteger(after) && after > 0) return after
  if (typeof after === 'string' && CURSOR.test(after)) return Number(after)
  throw new Error(INVALID_PAGE)
}

/** Drops `_meta` from embedded objects, as apex's getStream projection does ('object._meta'). */
function stripEmbeddedMeta (doc: JsonObject): JsonObject {
  if (!Array.isArray(doc.object)) return doc
  return { ...doc, object: doc.object.map(o => isObject(o) ? splitMeta(o).doc : o) }
}
