import type { Logger } from '../log/logger'
import { RemoteError } from '../errors/app-errors'
import type { HubStore, ApexNode } from '../store/store.port'
import { Apex } from './apex-setup'
import { first, idOf, originOf } from '../domain/activity-streams/nodes'
import { multikeyToPem } from './actors/multikey'
import type { OutboundClient, SigningKey } from './http/outbound-client'
import type { KeyFetchBudget } from './abuse/key-fetch-budget'
import { StampedReads } from './stamped-reads'

/** A verified public key and the actor that owns it. */
export interface ActorKey {
  actor: ApexNode
  keyId: string
  publicKeyPem: string
}

/** A fetched document and the URL that finally served it (after redirects). */
interface ServedNode {
  node: ApexNode
  servedFrom: string
}

/**
 * Fetches and caches remote documents for the hub: every GET is signed by the instance actor.
 * A document counts only for the origin of the URL it was finally served from, after redirects:
 * its `id` must be on that origin, so an open redirect on one server cannot make another
 * server's document pass for its own. Resolves `keyId`s to keys, following key documents
 * (GoToSocial serves a stub at the key URL) to their owner actor.
 */
export class RemoteActors {
  /** Key documents read on every signed request, kept parsed while no document changes. */
  private readonly keyDocuments: StampedReads<ApexNode>
  /** The keys found in a kept key document, by keyId: a kept document never changes (a new one is read when its stamp moves). */
  private readonly pemsOfKept = new WeakMap<ApexNode, Map<string, string>>()

  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly client: OutboundClient,
    private readonly instanceKey: () => SigningKey | Promise<SigningKey>,
    private readonly logger: Logger,
    private readonly keyFetches?: KeyFetchBudget
  ) {
    this.keyDocuments = new StampedReads(store, 'documents')
  }

  /** GETs a document and compacts it against the hub context; its id must be on the origin that served it. */
  async fetchNode (id: string): Promise<ApexNode> {
    return (await this.fetchServed(id)).node
  }

  /** The actor document for an id, from the cache unless `refresh`, cached after a fetch. */
  async getActor (actorId: string, refresh = false): Promise<ApexNode> {
    const cached = await this.store.getObject(actorId)
    if (cached && !refresh) return cached
    const { node: actor, servedFrom } = await this.fetchServed(actorId)
    if (typeof first(actor.inbox) !== 'string') throw new RemoteError(`${actorId} is not an actor: it has no inbox`)
    await this.cache(actor, servedFrom)
    return actor
  }

  /**
   * `getKey` answered at once, without a promise, when the key's document is kept and known
   * current (`StampedReads.readNow`: nearly every inbox request); undefined when it is not: then
   * `getKey`. Throws as `getKey` does for a document that does not hold the key.
   */
  getKeyNow (keyId: string): ActorKey | undefined {
    const kept = this.keyDocuments.readNow(keyId.split('#')[0])
    if (kept === undefined || kept === null) return undefined
    let pems = this.pemsOfKept.get(kept)
    if (pems === undefined) this.pemsOfKept.set(kept, pems = new Map())
    let publicKeyPem = pems.get(keyId)
    if (publicKeyPem === undefined) {
      publicKeyPem = keyOf(kept, keyId).publicKeyPem
      pems.set(keyId, publicKeyPem)
    }
    // A copy: the kept document is shared, and the actor goes on to the request as its sender.
    return { actor: Object.assign({}, kept), keyId, publicKeyPem }
  }

  /** The key behind a signature's keyId; `refresh` refetches it (the peer may have rotated it). */
  async getKey (keyId: string, refresh = false): Promise<ActorKey> {
    const docUrl = keyId.split('#')[0]
    const kept = refresh ? null : await this.keyDocuments.read(docUrl, async () => await this.store.getObject(docUrl))
    // A copy: the kept document is shared, and the actor goes on to the request as its sender.
    let actor: ApexNode | null = kept === null ? null : Object.assign({}, kept)
    if (!actor || refresh) {
      this.keyFetches?.spend(docUrl)
      const { node: doc, servedFrom } = await this.fetchServed(docUrl)
      // A key counts only when its own server served it: checked before anything is cached or fetched on its word.
      keyOnOrigin(keyId, servedFrom, 'was served from')
      // A key document (no inbox, has owner or FEP-521a controller): fetch the actor that owns it.
      const owner = idOf(doc.owner) ?? idOf(termValue(doc, 'controller'))
      if (owner) keyOnOrigin(keyId, owner, 'names as its owner')
      actor = typeof first(doc.inbox) === 'string' ? doc : owner ? await this.getActor(owner, true) : null
      if (!actor) throw new RemoteError(`${keyId} is neither an actor nor a key with an owner`)
      if (actor === doc) await this.cache(actor, servedFrom)
    }
    return keyOf(actor, keyId)
  }

  /** Fetches `url`; the document's id must be on the origin of the URL that finally served it. */
  private async fetchServed (url: string): Promise<ServedNode> {
    const { url: servedFrom, json } = await this.client.fetchJson(url, await this.instanceKey())
    const docId = typeof json.id === 'string' ? json.id : undefined
    if (!docId || originOf(docId) === null || originOf(docId) !== originOf(servedFrom)) {
      const via = servedFrom === url ? '' : ` (served from ${new URL(servedFrom).origin} after a redirect)`
      throw new RemoteError(`${url}${via} answered with a document for ${docId ?? 'no id'}, not from the same origin: a document counts only for the server that served it`)
    }
    return { node: await this.apex.fromJSONLD(json) as ApexNode, servedFrom }
  }

  /** Stores a fetched actor; a cached actor is never replaced by a document another origin served. */
  private async cache (node: ApexNode, servedFrom: string): Promise<void> {
    if (originOf(node.id) !== originOf(servedFrom)) throw new RemoteError(`${servedFrom} cannot speak for ${node.id}: not from the same origin`)
    const exists = await this.store.getObject(node.id) !== null
    try {
      if (exists) await this.store.updateObject(node, null, true)
      else await this.store.saveObject(node)
    } catch (err) {
      this.logger.warn({ err, id: node.id }, 'could not cache a remote actor')
    }
  }
}

/** The key `keyId` as the actor's document publishes it; the document must be on the key's origin. */
function keyOf (actor: ApexNode, keyId: string): ActorKey {
  keyOnOrigin(keyId, actor.id, 'was found in')
  const keys = (Array.isArray(actor.publicKey) ? actor.publicKey : [actor.publicKey]) as Array<Record<string, unknown> | undefined>
  // Fragment-less keyIds (what apex itself sends) name the actor: accept its only key.
  const key = keys.find(k => k && k.id === keyId) ?? (keyId === actor.id && keys.length === 1 ? keys[0] : undefined)
  const pem = first<string>(key?.publicKeyPem) ?? multikeyOf(actor, keyId)
  if (typeof pem !== 'string') {
    throw new RemoteError(`${actor.id} does not publish the key ${keyId} (neither in publicKey nor as a Multikey in assertionMethod)`)
  }
  return { actor, keyId, publicKeyPem: pem }
}

/**
 * The PEM of a FEP-521a `Multikey` the actor lists in `assertionMethod` under `keyId`; its
 * controller must be the actor. apex compacts the Multikey terms with the `sec:` prefix.
 */
function multikeyOf (actor: ApexNode, keyId: string): string | undefined {
  const methods = Array.isArray(actor.assertionMethod) ? actor.assertionMethod : [actor.assertionMethod]
  for (const method of methods) {
    if (!method || typeof method !== 'object') continue
    const m = method as Record<string, unknown>
    if (m.id !== keyId) continue
    const controller = idOf(termValue(m, 'controller'))
    if (controller !== undefined && controller !== actor.id) return undefined
    const multibase = literal(termValue(m, 'publicKeyMultibase'))
    return typeof multibase === 'string' ? multikeyToPem(multibase) ?? undefined : undefined
  }
  return undefined
}

/** Refuses a key whose id is on another origin than `iri` (the URL that served it, its owner, its actor). */
function keyOnOrigin (keyId: string, iri: string, relation: string): void {
  if (originOf(keyId) !== originOf(iri)) {
    throw new RemoteError(`The key ${keyId} ${relation} ${iri}, on another server: a key counts only on its own origin, where its actor is`)
  }
}

/** A term's value under its short name, its `sec:` name or its full IRI. */
function termValue (node: Record<string, unknown>, term: string): unknown {
  return node[term] ?? node[`sec:${term}`] ?? node[`https://w3id.org/security#${term}`]
}

/** A JSON-LD literal's plain value (`{"@value": …}` or the value itself). */
function literal (value: unknown): unknown {
  const v = first(value)
  return v && typeof v === 'object' && '@value' in v ? (v as { '@value': unknown })['@value'] : v
}
