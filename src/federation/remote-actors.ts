import type { Logger } from '../log/logger'
import { RemoteError } from '../errors/app-errors'
import type { HubStore, ApexNode } from '../store/store.port'
import { Apex } from './apex-setup'
import { first, idOf } from '../domain/activity-streams/nodes'
import { multikeyToPem } from './actors/multikey'
import type { OutboundClient, SigningKey } from './http/outbound-client'

/** A verified public key and the actor that owns it. */
export interface ActorKey {
  actor: ApexNode
  keyId: string
  publicKeyPem: string
}

/**
 * Fetches and caches remote documents for the hub: every GET is signed by the instance actor
 * and the answer must come from the origin of the id asked for. Resolves `keyId`s to keys,
 * following key documents (GoToSocial serves a stub at the key URL) to their owner actor.
 */
export class RemoteActors {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly client: OutboundClient,
    private readonly instanceKey: () => SigningKey | Promise<SigningKey>,
    private readonly logger: Logger
  ) {}

  /** GETs a document and compacts it against the hub context; it must come from its id's origin. */
  async fetchNode (id: string): Promise<ApexNode> {
    const doc = await this.client.getJson(id, await this.instanceKey())
    const docId = typeof doc.id === 'string' ? doc.id : undefined
    if (!docId || new URL(docId).origin !== new URL(id).origin) {
      throw new RemoteError(`${id} answered with a document for ${docId ?? 'no id'}, not from the same origin`)
    }
    return await this.apex.fromJSONLD(doc) as ApexNode
  }

  /** The actor document for an id, from the cache unless `refresh`, cached after a fetch. */
  async getActor (actorId: string, refresh = false): Promise<ApexNode> {
    const cached = await this.store.getObject(actorId)
    if (cached && !refresh) return cached
    const actor = await this.fetchNode(actorId)
    if (typeof first(actor.inbox) !== 'string') throw new RemoteError(`${actorId} is not an actor: it has no inbox`)
    await this.cache(actor, cached !== null)
    return actor
  }

  /** The key behind a signature's keyId; `refresh` refetches it (the peer may have rotated it). */
  async getKey (keyId: string, refresh = false): Promise<ActorKey> {
    const docUrl = keyId.split('#')[0]
    let actor = await this.store.getObject(docUrl)
    if (!actor || refresh) {
      const doc = await this.fetchNode(docUrl)
      // A key document (no inbox, has owner or FEP-521a controller): fetch the actor that owns it.
      const owner = idOf(doc.owner) ?? idOf(termValue(doc, 'controller'))
      actor = typeof first(doc.inbox) === 'string' ? doc : owner ? await this.getActor(owner, true) : null
      if (!actor) throw new RemoteError(`${keyId} is neither an actor nor a key with an owner`)
      if (actor === doc) await this.cache(actor, await this.store.getObject(actor.id) !== null)
    }
    const keys = (Array.isArray(actor.publicKey) ? actor.publicKey : [actor.publicKey]) as Array<Record<string, unknown> | undefined>
    // Fragment-less keyIds (what apex itself sends) name the actor: accept its only key.
    const key = keys.find(k => k && k.id === keyId) ?? (keyId === actor.id && keys.length === 1 ? keys[0] : undefined)
    const pem = first<string>(key?.publicKeyPem) ?? multikeyOf(actor, keyId)
    if (typeof pem !== 'string') {
      throw new RemoteError(`${actor.id} does not publish the key ${keyId} (neither in publicKey nor as a Multikey in assertionMethod)`)
    }
    return { actor, keyId, publicKeyPem: pem }
  }

  private async cache (node: ApexNode, exists: boolean): Promise<void> {
    try {
      if (exists) await this.store.updateObject(node, null, true)
      else await this.store.saveObject(node)
    } catch (err) {
      this.logger.warn({ err, id: node.id }, 'could not cache a remote actor')
    }
  }
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

/** A term's value under its short name, its `sec:` name or its full IRI. */
function termValue (node: Record<string, unknown>, term: string): unknown {
  return node[term] ?? node[`sec:${term}`] ?? node[`https://w3id.org/security#${term}`]
}

/** A JSON-LD literal's plain value (`{"@value": …}` or the value itself). */
function literal (value: unknown): unknown {
  const v = first(value)
  return v && typeof v === 'object' && '@value' in v ? (v as { '@value': unknown })['@value'] : v
}
