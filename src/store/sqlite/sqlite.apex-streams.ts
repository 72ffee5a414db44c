/**
 * apex's `streams` (activities and their collection membership) on SQLite, with the semantics of
 * apex's MongoDB store. `_meta.collection` is mirrored into `stream_collections` so collection
 * pages are index scans; `streams.seq` is the page cursor apex sees as `_id`.
 */
import type Database from 'better-sqlite3'
import type { ApexNode } from '../store.port'
import {
  allIds, collectionsOf, embeddedObjectIds, firstId, firstType, isObject, jsonEqual, mergeTopLevel,
  objectHeldIn, parseMeta, parseObject, recipientIn, replaceEmbeddedObject, splitMeta, toNode,
  type JsonObject, type Meta, type ReceivedBy
} from './apex-node-codec'

interface StreamRow { seq: number, doc: string, meta: string | null }

/** The message apex's collection route turns into a 400. */
const INVALID_PAGE = 'ApexStore: invalid page value'
/** Cursors are `String(seq)`; 15 digits stay within a safe integer. */
const CURSOR = /^[0-9]{1,15}$/

/**
 * Called inside the write before an activity leaves collections (it is removed, or collections
 * are dropped from its `_meta`): the inbox journal remembers the inbox receipts that go with them.
 */
export type LeavingCollections = (seq: number, collections: readonly string[]) => void

/** apex's activity streams, stored in `streams`, `stream_collections`, `stream_embedded_objects`. */
export class SqliteApexStreams {
  private readonly insert
  private readonly byId
  private readonly writeRow
  private readonly writeMeta
  private readonly addCollection
  private readonly removeCollection
  private readonly clearCollections
  private readonly addEmbedded
  private readonly clearEmbedded
  private readonly byCollectionAndObject
  private readonly byCollectionAndActor
  private readonly page
  private readonly count
  private readonly removeBySeq
  private readonly copiesOf
  private readonly writeDoc
  private readonly cachedActor
  private readonly createOf
  private readonly removable
  private readonly collectionsOfSeq
  // Made once: better-sqlite3 builds four wrapped variants per `db.transaction` call, and every received activity is saved.
  private readonly insertActivity

  /** Prepares every statement once; `leaving` runs before an activity leaves collections. */
  constructor (private readonly db: Database.Database, private readonly leaving: LeavingCollections = () => undefined) {
    this.insert = db.prepare<[string, string | null, string | null, string | null, string, string | null]>(
      `INSERT INTO streams (id, type, actor_id, object_id, doc, meta) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`)
    this.byId = db.prepare<[string], StreamRow>('SELECT seq, doc, meta FROM streams WHERE id = ?')
    this.writeRow = db.prepare<[string | null, string | null, string | null, string, string | null, number]>(
      'UPDATE streams SET type = ?, actor_id = ?, object_id = ?, doc = ?, meta = ? WHERE seq = ?')
    this.writeMeta = db.prepare<[string, number]>('UPDATE streams SET meta = ? WHERE seq = ?')
    this.addCollection = db.prepare<[string, number, string | null]>(
      'INSERT INTO stream_collections (collection, seq, recipient) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
    this.removeCollection = db.prepare<[string, number]>(
      'DELETE FROM stream_collections WHERE collection = ? AND seq = ?')
    this.clearCollections = db.prepare<[number]>('DELETE FROM stream_collections WHERE seq = ?')
    this.addEmbedded = db.prepare<[string, number]>(
      'INSERT INTO stream_embedded_objects (object_id, seq) VALUES (?, ?) ON CONFLICT DO NOTHING')
    this.clearEmbedded = db.prepare<[number]>('DELETE FROM stream_embedded_objects WHERE seq = ?')
    // Insertion order stands in for MongoDB's natural order in find().limit(1).
    this.byCollectionAndObject = db.prepare<[string, string], StreamRow>(
      `SELECT s.seq, s.doc, s.meta FROM stream_collections c JOIN streams s ON s.seq = c.seq
       WHERE c.collection = ? AND s.object_id = ? ORDER BY s.seq LIMIT 1`)
    // Activities are indexed by actor only for Follows (migration 22): the collection's rows are
    // read in their key's order, up to the first of the actor's.
    this.byCollectionAndActor = db.prepare<[string, string], StreamRow>(
      `SELECT s.seq, s.doc, s.meta FROM stream_collections c JOIN streams s ON s.seq = c.seq
       WHERE c.collection = ? AND s.actor_id = ? ORDER BY c.seq LIMIT 1`)
    // The block list arrives as one JSON array so the statement can be prepared once.
    this.page = db.prepare<{ collection: string, before: number | null, blocked: string, limit: number }, StreamRow>(
      `SELECT s.seq, s.doc, s.meta FROM stream_collections c JOIN streams s ON s.seq = c.seq
       WHERE c.collection = :collection
         AND (:before IS NULL OR c.seq < :before)
         AND (s.actor_id IS NULL OR s.actor_id NOT IN (SELECT value FROM json_each(:blocked)))
       ORDER BY c.seq DESC LIMIT :limit`)
    // Kept by triggers on stream_collections (migration 15): no counting scan per request.
    this.count = db.prepare<[string], { n: number }>(
      'SELECT total AS n FROM collection_counts WHERE collection = ?')
    this.removeBySeq = db.prepare<[number]>('DELETE FROM streams WHERE seq = ?')
    // The first object is found by `streams.object_id`, so only the others have rows of their own
    // (`embeddedRowIds`); a Create's one embedded object costs no index entry beyond the activity's.
    this.copiesOf = db.prepare<[string, string], { seq: number, doc: string }>(
      `SELECT seq, doc FROM streams WHERE object_id = ?
       UNION SELECT s.seq, s.doc FROM stream_embedded_objects e JOIN streams s ON s.seq = e.seq WHERE e.object_id = ?`)
    this.writeDoc = db.prepare<[string, number]>('UPDATE streams SET doc = ? WHERE seq = ?')
    this.cachedActor = db.prepare<[string], { doc: string }>('SELECT doc FROM objects WHERE id = ?')
    // The first Create held of the object, as `objects` would have kept the first copy saved.
    this.createOf = db.prepare<[string], { doc: string }>(
      "SELECT doc FROM streams WHERE object_id = ? AND type = 'Create' ORDER BY seq LIMIT 1")
    this.removable = db.prepare<[string, string], { seq: number }>('SELECT seq FROM streams WHERE id = ? AND actor_id = ?')
    this.collectionsOfSeq = db.prepare<[number], Membership>('SELECT collection, recipient FROM stream_collections WHERE seq = ?')
    this.insertActivity = db.transaction((activity: ApexNode, receivedBy?: ReceivedBy) => this.saveActivityInTransaction(activity, receivedBy))
  }

  /** See `ApexStore.saveActivity`; `receivedBy` names the recipient of the inbox it was received in. */
  saveActivity (activity: ApexNode, receivedBy?: ReceivedBy): true | undefined {
    return this.insertActivity(activity, receivedBy)
  }

  /**
   * `saveActivity` without a transaction of its own, for a caller whose transaction (or
   * savepoint) already rolls its statements back together: a nested one would be a savepoint
   * more per activity, which copies every page the insert touches once more.
   */
  saveActivityInTransaction (activity: ApexNode, receivedBy?: ReceivedBy): true | undefined {
    const { doc, meta } = splitMeta(activity)
    const result = this.insert.run(
      activity.id, firstType(doc.type), firstId(doc.actor), firstId(doc.object),
      JSON.stringify(doc), meta === undefined ? null : JSON.stringify(meta))
    if (result.changes === 0) return undefined
    const seq = Number(result.lastInsertRowid)
    for (const collection of collectionsOf(meta)) this.addCollection.run(collection, seq, recipientIn(collection, receivedBy))
    for (const objectId of embeddedRowIds(doc)) this.addEmbedded.run(objectId, seq)
    return true
  }

  /** See `ApexStore.getActivity`. */
  getActivity (id: string, includeMeta: boolean): ApexNode | null {
    const row = this.byId.get(id)
    return row === undefined ? null : toNode(row.doc, row.meta, includeMeta)
  }

  /** See `ApexStore.findActivityByCollectionAndObjectId`. */
  findByCollectionAndObjectId (collection: string, objectId: string, includeMeta: boolean): ApexNode | null {
    const row = this.byCollectionAndObject.get(collection, objectId)
    return row === undefined ? null : toNode(row.doc, row.meta, includeMeta)
  }

  /** See `ApexStore.findActivityByCollectionAndActorId`. */
  findByCollectionAndActorId (collection: string, actorId: string, includeMeta: boolean): ApexNode | null {
    const row = this.byCollectionAndActor.get(collection, actorId)
    return row === undefined ? null : toNode(row.doc, row.meta, includeMeta)
  }

  /** See `ApexStore.getStream`. */
  getStream (collection: string, limit: number | null, after: unknown, blockList: string[] | undefined, query: unknown): Array<ApexNode & { _id: string }> {
    if (query !== undefined && query !== null && !(Array.isArray(query) && query.length === 0)) {
      throw new Error('ApexStore: MongoDB aggregation queries (getStream query) are not supported by the SQLite store')
    }
    const rows = this.page.all({
      collection,
      before: parseCursor(after),
      blocked: JSON.stringify(blockList ?? []),
      // As in apex, the limit applies before items with uncached actors are dropped.
      limit: limit !== null && limit > 0 ? limit : -1
    })
    const actors = new Map<string, JsonObject | null>()
    const lookupActor = (id: string): JsonObject | null => {
      if (!actors.has(id)) {
        const row = this.cachedActor.get(id)
        actors.set(id, row === undefined ? null : parseObject(row.doc))
      }
      return actors.get(id) ?? null
    }
    const items: Array<ApexNode & { _id: string }> = []
    for (const row of rows) {
      const doc = parseObject(row.doc)
      const actor = allIds(doc.actor).map(lookupActor).filter((a): a is JsonObject => a !== null)
      if (actor.length === 0) continue
      items.push({ ...(stripEmbeddedMeta(doc) as ApexNode), actor, _id: String(row.seq) })
    }
    return items
  }

  /** See `ApexStore.getStreamCount`. */
  getStreamCount (collection: string): number {
    return this.count.get(collection)?.n ?? 0
  }

  /** See `ApexStore.removeActivity`; collection membership goes with it (ON DELETE CASCADE). */
  removeActivity (id: string, actorId: string): { deletedCount: number } {
    return this.db.transaction(() => {
      const row = this.removable.get(id, actorId)
      if (row === undefined) return { deletedCount: 0 }
      this.leaving(row.seq, this.collectionsOfSeq.all(row.seq).map(c => c.collection))
      return { deletedCount: this.removeBySeq.run(row.seq).changes }
    })()
  }

  /**
   * The object as the first received Create of it holds it, for an object kept only there (see
   * `SqliteApexObjects.getObject`); null when no Create of it is held, or when the object is not
   * on that Create's actor's origin (`objectHeldIn`).
   */
  heldInCreate (objectId: string): JsonObject | null {
    const row = this.createOf.get(objectId)
    return row === undefined ? null : objectHeldIn(parseObject(row.doc), objectId)
  }

  /** See `ApexStore.updateActivity`; keeps the stored `_meta` unless the update carries one. */
  updateActivity (activity: ApexNode, fullReplace: boolean): ApexNode {
    return this.db.transaction((): ApexNode => {
      const row = this.byId.get(activity.id)
      // MongoDB answers the given activity when nothing matched; so does this store.
      if (row === undefined) return activity
      const storedDoc = parseObject(row.doc)
      const storedMeta = parseMeta(row.meta)
      const { doc: given } = splitMeta(activity)
      const doc = fullReplace ? given : mergeTopLevel(storedDoc, given)
      const meta = isObject(activity._meta) ? activity._meta : (!fullReplace && activity._meta === null ? undefined : storedMeta)
      if (!jsonEqual(doc, storedDoc) || !jsonEqual(meta, storedMeta)) {
        this.rewrite(row.seq, doc, meta)
        this.refreshEmbeddedCopies(doc)
      }
      return meta === undefined ? doc as ApexNode : { ...doc, _meta: meta } as ApexNode
    })()
  }

  /**
   * See `ApexStore.updateActivityMeta`: `$addToSet` / `$pull` on `_meta[key]`; `receivedBy` names
   * the recipient when the collection added is the inbox it was received in.
   */
  updateActivityMeta (id: string, key: string, value: unknown, remove: boolean, receivedBy?: ReceivedBy): ApexNode {
    return this.db.transaction((): ApexNode => {
      const row = this.byId.get(id)
      if (row === undefined) throw new Error('Error updating activity meta: not found')
      const meta: Meta = parseMeta(row.meta) ?? {}
      const current = meta[key]
      const values: unknown[] = Array.isArray(current) ? current : current === undefined ? [] : [current]
      if (remove) {
        meta[key] = values.filter(v => !jsonEqual(v, value))
      } else {
        meta[key] = values.some(v => jsonEqual(v, value)) ? values : [...values, value]
      }
      this.writeMeta.run(JSON.stringify(meta), row.seq)
      if (key === 'collection' && typeof value === 'string') {
        if (remove) {
          this.leaving(row.seq, [value])
          this.removeCollection.run(value, row.seq)
        } else {
          this.addCollection.run(value, row.seq, recipientIn(value, receivedBy))
        }
      }
      return toNode(row.doc, JSON.stringify(meta), true)
    })()
  }

  /** Replaces every copy of `object` embedded in an activity's `object` (MongoDB's updateObjectCopies). */
  refreshEmbeddedCopies (object: JsonObject): void {
    if (typeof object.id !== 'string') return
    const { doc: copy } = splitMeta(object)
    for (const row of this.copiesOf.all(object.id, object.id)) {
      const doc = parseObject(row.doc)
      if (replaceEmbeddedObject(doc, copy)) this.writeDoc.run(JSON.stringify(doc), row.seq)
    }
  }

  /** Writes a whole row and brings its collection and embedded-object index rows in step. */
  private rewrite (seq: number, doc: JsonObject, meta: Meta | undefined): void {
    const kept = collectionsOf(meta)
    const before = this.collectionsOfSeq.all(seq)
    this.leaving(seq, before.map(c => c.collection).filter(c => !kept.includes(c)))
    this.writeRow.run(...columnsOf(doc), JSON.stringify(doc), meta === undefined ? null : JSON.stringify(meta), seq)
    this.clearCollections.run(seq)
    for (const collection of kept) this.addCollection.run(collection, seq, before.find(c => c.collection === collection)?.recipient ?? null)
    this.clearEmbedded.run(seq)
    for (const objectId of embeddedRowIds(doc)) this.addEmbedded.run(objectId, seq)
  }
}

interface Membership { collection: string, recipient: string | null }

/** The embedded objects that need a `stream_embedded_objects` row: all but the one `object_id` indexes. */
function embeddedRowIds (doc: JsonObject): string[] {
  const indexed = firstId(doc.object)
  return embeddedObjectIds(doc).filter(id => id !== indexed)
}

/** The indexed columns derived from an activity document: type, actor_id, object_id. */
function columnsOf (doc: JsonObject): [string | null, string | null, string | null] {
  return [firstType(doc.type), firstId(doc.actor), firstId(doc.object)]
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
