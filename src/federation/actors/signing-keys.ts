import type { ApexNode, HubStore } from '../../store/store.port'
import { first } from '../../domain/activity-streams/nodes'
import type { SigningKey } from '../http/outbound-client'

/** The key a local actor signs with: keyId is its `publicKey.id`. */
export function signingKeyOf (actor: ApexNode): SigningKey {
  const key = first<Record<string, unknown>>(actor.publicKey)
  const keyId = typeof key?.id === 'string' ? key.id : `${actor.id}#main-key`
  return { keyId, privateKeyPem: String(actor._meta?.privateKey) }
}

/**
 * The signing keys of this hub's actors, read from the store at every use (a primary-key read).
 * Nothing is kept in memory, so after one hub process rotates a key (or wins the race to create
 * the instance actor) every process sharing the store signs with the key the actor publishes.
 */
export class LocalSigningKeys {
  constructor (private readonly store: HubStore, private readonly instanceActorId: string) {}

  /** The key of a local actor; null when the store holds no private key for it. */
  async forActor (actorId: string): Promise<SigningKey | null> {
    const actor = await this.store.getObject(actorId, true)
    return actor?._meta?.privateKey ? signingKeyOf(actor) : null
  }

  /** The instance actor's key (it signs the hub's GETs). */
  async instance (): Promise<SigningKey> {
    const key = await this.forActor(this.instanceActorId)
    if (!key) throw new Error(`The instance actor ${this.instanceActorId} has no private key in the store`)
    return key
  }
}
