/**
 * apex's object cache (remote objects and local actors) and JSON-LD context cache on SQLite,
 * with the semantics of apex's MongoDB store. Private keys live in `meta`, never in `doc`.
 */
import type Database from 'better-sqlite3'
import type { ApexNode, ContextRecord } from '../store.port'
import {
  firstType, isLocalActor, isObject, jsonEqual, mergeTopLevel, parseMeta, parseObject, splitMeta,
  toNode, type JsonObject, type Meta
} from './apex-node-codec'
import { deliveryTargetOf } from './delivery-target'

interface ObjectRow { doc: string, meta: string | null }
interface ContextRow { context_url: string | null, document_url: string, document: string }
type ObjectColumns = [string, string | null, string, string | null, number, string | null]

/**
 * apex's `objects` and `contexts`; updates refresh embedded copies through `refreshCopies`. The
 * object of a Create received for an inbox where no handler runs is not copied here: it is kept
 * once, inside its activity (`heldInCreate`), and read from there until an update gives it a row.
 */
export class SqliteApexObjects {
  private readonly insert
  private readonly upsert
  private readonly byId
  private readonly localUsers
  private readonly contextByUrl
  private readonly upsertContext

  /**
   * Prepares every statement once; `refreshCopies` updates copies of an object held in streams,
   * `heldInCreate` finds an object kept only inside a received Create.
   */
  constructor (
    private readonly db: Database.Database,
    private readonly refreshCopies: (object: JsonObject) => void,
    private readonly heldInCreate: (id: string) => JsonObject | null = () => null
  ) {
    this.insert = db.prepare<ObjectColumns>(
      `INSERT INTO objects (id, type, doc, meta, local_actor, delivery_target) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`)
    this.upsert = db.prepare<ObjectColumns>(
      `INSERT INTO objects (id, type, doc, meta, local_actor, delivery_target) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET type = excluded.type, doc = excluded.doc, meta = excluded.meta,
         local_actor = excluded.local_actor, delivery_target = excluded.delivery_target`)
    this.byId = db.prepare<[string], ObjectRow>('SELECT doc, meta FROM objects WHERE id = ?')
    // The instance actor (type Application) also holds a key but is not a user.
    this.localUsers = db.prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM objects WHERE local_actor = 1 AND (type IS NULL OR type <> 'Application')")
    this.contextByUrl = db.prepare<[string], ContextRow>(
      'SELECT context_url, document_url, document FROM contexts WHERE document_url = ?')
    this.upsertContext = db.prepare<[string, string | null, string]>(
      `INSERT INTO contexts (document_url, context_url, document) VALUES (?, ?, ?)
       ON CONFLICT(document_url) DO UPDATE SET context_url = excluded.context_url, document = excluded.document`)
  }

  /** See `ApexStore.setup`: stores (replaces) the initial user with its `_meta`. */
  setup (initialUser?: ApexNode): ApexNode | undefined {
    if (initialUser === undefined) return undefined
    this.upsert.run(...objectColumns(initialUser))
    return initialUser
  }

  /** See `ApexStore.getObject`. */
  getObject (id: string, includeMeta: boolean): ApexNode | null {
    const row = this.byId.get(id)
    if (row !== undefined) return toNode(row.doc, row.meta, includeMeta)
    return this.heldInCreate(id) as ApexNode | null
  }

  /** See `ApexStore.saveObject`. */
  saveObject (object: ApexNode): boolean {
    return this.insert.run(...objectColumns(object)).changes === 1
  }

  /** See `ApexStore.updateObject`; a full replace without `_meta` keeps the stored one (private keys). */
  updateObject (object: ApexNode, fullReplace: boolean): ApexNode | undefined {
    return this.db.transaction((): ApexNode | undefined => {
      const row = this.byId.get(object.id)
      // An object kept only inside a received Create is updated as if it had its row, and gets one.
      const storedDoc = row === undefined ? this.heldInCreate(object.id) : parseObject(row.doc)
      if (storedDoc === null) return undefined
      const storedMeta = row === undefined ? undefined : parseMeta(row.meta)
      const { doc: given } = splitMeta(object)
      const doc = fullReplace ? given : mergeTopLevel(storedDoc, given)
      const meta: Meta | undefined = isObject(object._meta)
        ? object._meta
        : (!fullReplace && object._meta === null ? undefined : storedMeta)
      const changed = !jsonEqual(doc, storedDoc) || !jsonEqual(meta, storedMeta)
      if (changed) this.upsert.run(...objectColumns((meta === undefined ? doc : { ...doc, _meta: meta }) as ApexNode))
      // Like MongoDB: a full replace answers only when the document changed (modifiedCount),
      // a partial update answers the stored document (without `_meta`) whenever it exists.
      if (fullReplace && !changed) return undefined
      this.refreshCopies(doc)
      return fullReplace ? structuredClone(object) : doc as ApexNode
    })()
  }

  /** See `ApexStore.getUserCount`. */
  getUserCount (): number {
    return this.localUsers.get()?.n ?? 0
  }

  /** See `ApexStore.getContext`. */
  getContext (documentUrl: string): ContextRecord | null {
    const row = this.contextByUrl.get(documentUrl)
    if (row === undefined) return null
    return { contextUrl: row.context_url, documentUrl: row.document_url, document: JSON.parse(row.document) as unknown }
  }

  /** See `ApexStore.saveContext`: upserts; the document is kept as JSON text. */
  saveContext ({ contextUrl, documentUrl, document }: ContextRecord): boolean {
    const text = typeof document === 'string' ? document : JSON.stringify(document)
    this.upsertContext.run(documentUrl, contextUrl ?? null, text)
    return true
  }
}

/** The `objects` row for a node: id, type, doc without `_meta`, meta, the local-actor flag, the delivery target. */
function objectColumns (node: ApexNode): ObjectColumns {
  const { doc, meta } = splitMeta(node)
  return [node.id, firstType(doc.type), JSON.stringify(doc), meta === undefined ? null : JSON.stringify(meta),
    isLocalActor(meta) ? 1 : 0, deliveryTargetOf(doc)]
}
