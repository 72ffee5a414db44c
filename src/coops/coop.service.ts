import { ConflictError, NotFoundError, ValidationError } from '../errors/app-errors'
import { usernameProblem } from '../domain/coop'
import { ADMIN_SCOPE, TokenService } from '../auth/token.service'
import { generateActorKeys } from '../federation/actors/actor-keys'
import { buildCoopActor } from '../federation/actors/coop-actor'
import { Apex, first } from '../federation/apex-setup'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, CoopRecord, HubStore } from '../store/store.port'
import type { HubChanges } from '../events/hub-changes'

/** The answer to creating a co-op; the token is shown this once. */
export interface CreatedCoop {
  id: string
  username: string
  token: string
}

/** A co-op as the public API shows it. */
export interface CoopView {
  id: string
  username: string
  name: string
  summary: string
  url: string | null
  icon: string | null
  followPolicy: CoopRecord['followPolicy']
  createdAt: string
}

/** Registers co-ops: their actor, keys and first token. */
export class CoopService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly tokens: TokenService,
    private readonly schemas: SchemaValidator,
    private readonly hubUrl: string,
    /** Told when a co-op is created (the directory index listens). */
    private readonly changes?: HubChanges
  ) {}

  /** Creates a co-op from an API or CLI body; 409 when the username is taken. */
  async create (body: unknown): Promise<CreatedCoop> {
    const input = this.schemas.validate('api/coop-create.schema.json', body)
    const problem = usernameProblem(input.username)
    if (problem) throw new ValidationError(`The username cannot be used: ${problem}`, { username: problem })
    if (this.store.getCoop(input.username)) {
      throw new ConflictError(`The username "${input.username}" is already taken on this hub`)
    }
    const followPolicy = input.followPolicy ?? 'automatic'
    const keys = await generateActorKeys()
    const doc = buildCoopActor(this.hubUrl, { ...input, followPolicy }, keys.publicKeyPem)
    const actor = await this.apex.fromJSONLD({ '@context': this.apex.context, ...doc }) as ApexNode
    actor._meta = { privateKey: keys.privateKeyPem }
    // The actor first: a crash before the co-op record leaves an actor that a retry overwrites.
    if (!(await this.store.saveObject(actor))) await this.store.updateObject(actor, actor.id, true)
    let token = ''
    this.store.transaction(() => {
      this.store.saveCoop({ username: input.username, actorId: actor.id, followPolicy, createdAt: new Date().toISOString() })
      token = this.tokens.issue(actor.id, `co-op ${input.username}`)
    })
    await this.changes?.publish({ type: 'coop', actorId: actor.id })
    return { id: actor.id, username: input.username, token }
  }

  /** The co-op record, or 404. */
  require (username: string): CoopRecord {
    const coop = this.store.getCoop(username)
    if (!coop) throw new NotFoundError(`There is no co-op "${username}" on this hub`)
    return coop
  }

  /** The co-op's actor with its private key, or 404. */
  async requireActor (username: string): Promise<ApexNode> {
    const coop = this.require(username)
    const actor = await this.store.getObject(coop.actorId, true)
    if (!actor) throw new NotFoundError(`The actor of co-op "${username}" is missing`)
    return actor
  }

  /** The public view of a co-op. */
  async view (username: string): Promise<CoopView> {
    const coop = this.require(username)
    const actor = await this.store.getObject(coop.actorId)
    const icon = first<Record<string, unknown>>(actor?.icon)
    const url = first<string>(actor?.url) ?? null
    return {
      id: coop.actorId,
      username: coop.username,
      name: first<string>(actor?.name) ?? coop.username,
      summary: first<string>(actor?.summary) ?? '',
      url: url === coop.actorId ? null : url,
      icon: icon ? first<string>(icon.url) ?? null : null,
      followPolicy: coop.followPolicy,
      createdAt: coop.createdAt
    }
  }

  /** True when `scope` (a token's) may act for the co-op `username`. */
  static mayActFor (scope: string, coop: CoopRecord): boolean {
    return scope === ADMIN_SCOPE || scope === coop.actorId
  }
}
