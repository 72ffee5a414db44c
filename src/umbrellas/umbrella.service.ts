import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-errors'
import { plainDocument } from '../federation/actors/plain-document'
import { usernameProblem } from '../domain/coop'
import { AS_PUBLIC } from '../domain/activity-streams/nodes'
import { ADMIN_SCOPE, TokenService } from '../auth/token.service'
import { generateActorKeys } from '../federation/actors/actor-keys'
import { first } from '../domain/activity-streams/nodes'
import { Apex } from '../federation/apex-setup'
import type { Publisher } from '../federation/publisher'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import type { MembershipPolicy, UmbrellaRecord } from '../store/ports/umbrella.port'
import { buildUmbrellaActor, rebuildUmbrellaActor } from './umbrella-actor'

/** The answer to creating an umbrella; the token is shown this once. */
export interface CreatedUmbrella {
  id: string
  username: string
  token: string
}

/** An umbrella as the public API shows it. */
export interface UmbrellaView {
  id: string
  username: string
  name: string
  summary: string
  url: string | null
  membershipPolicy: MembershipPolicy
  members: number
  createdAt: string
}

/**
 * Registers umbrella organisations and edits their actor. An umbrella's actor, keys and token
 * are registered like a co-op's (same username space, same token rules), so everything that acts
 * for a co-op (pools, follows, memberships of a wider umbrella) acts for an umbrella too.
 */
export class UmbrellaService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly tokens: TokenService,
    private readonly schemas: SchemaValidator,
    private readonly hubUrl: string,
    /** Sends the Update of an edited umbrella's actor to its followers and members. */
    private readonly publisher?: Publisher
  ) {}

  /** Creates an umbrella from an API or CLI body; 409 when the username is taken by a co-op or umbrella. */
  async create (body: unknown): Promise<CreatedUmbrella> {
    const input = this.schemas.validate('api/umbrella-create.schema.json', body)
    const problem = usernameProblem(input.username)
    if (problem) throw new ValidationError(`The username cannot be used: ${problem}`, { username: problem })
    if (await this.store.getCoop(input.username) || await this.store.umbrellas.getUmbrella(input.username)) {
      throw new ConflictError(`The username "${input.username}" is already taken on this hub`)
    }
    const keys = await generateActorKeys()
    const doc = buildUmbrellaActor(this.hubUrl, input, keys.publicKeyPem)
    const actor = await this.apex.fromJSONLD({ '@context': this.apex.context, ...doc }) as ApexNode
    actor._meta = { privateKey: keys.privateKeyPem }
    if (!(await this.store.saveObject(actor))) await this.store.updateObject(actor, actor.id, true)
    const createdAt = new Date().toISOString()
    // The umbrella row before the co-op row: a crash in between leaves no actor that acts as a
    // co-op without its policy, and a second create of the name is refused by either row.
    await this.store.umbrellas.saveUmbrella({ username: input.username, actorId: actor.id, membershipPolicy: input.membershipPolicy, createdAt })
    let token = ''
    await this.store.transaction(async () => {
      await this.store.saveCoop({ username: input.username, actorId: actor.id, followPolicy: 'automatic', createdAt })
      token = await this.tokens.issue(actor.id, `umbrella ${input.username}`)
    })
    return { id: actor.id, username: input.username, token }
  }

  /** Edits name, summary or membership policy; sends an Update of the actor to followers and members. */
  async update (username: string, body: unknown): Promise<UmbrellaView> {
    const input = this.schemas.validate('api/umbrella-update.schema.json', body)
    const umbrella = await this.require(username)
    const actor = await this.requireActor(umbrella)
    const previous = await plainDocument(this.apex, actor)
    const doc = rebuildUmbrellaActor(previous, input, new Date().toISOString())
    const node = await this.apex.fromJSONLD({ '@context': this.apex.context, ...doc }) as ApexNode
    await this.store.updateObject({ ...node, _meta: actor._meta }, actor.id, true)
    if (input.membershipPolicy !== undefined && input.membershipPolicy !== umbrella.membershipPolicy) {
      await this.store.umbrellas.setMembershipPolicy(umbrella.username, input.membershipPolicy)
    }
    const members = (await this.store.umbrellas.listMembers(actor.id)).map(m => m.actorId)
    const followers = first<string>(actor.followers)
    await this.publisher?.send(actor, 'Update', { object: node, cc: followers ? [followers] : [] }, [AS_PUBLIC, ...members])
    return await this.view(umbrella.username)
  }

  /** Every umbrella on this hub, oldest first. */
  async list (): Promise<UmbrellaView[]> {
    const views: UmbrellaView[] = []
    for (const umbrella of await this.store.umbrellas.listUmbrellas()) views.push(await this.view(umbrella.username))
    return views
  }

  /** The public view of a local umbrella, or 404. */
  async view (username: string): Promise<UmbrellaView> {
    const umbrella = await this.require(username)
    const actor = await this.store.getObject(umbrella.actorId)
    const url = first<string>(actor?.url) ?? null
    return {
      id: umbrella.actorId,
      username: umbrella.username,
      name: first<string>(actor?.name) ?? umbrella.username,
      summary: first<string>(actor?.summary) ?? '',
      url: url === umbrella.actorId ? null : url,
      membershipPolicy: umbrella.membershipPolicy,
      members: (await this.store.umbrellas.listMembers(umbrella.actorId)).length,
      createdAt: umbrella.createdAt
    }
  }

  /** The local umbrella `username`, or 404. */
  async require (username: string): Promise<UmbrellaRecord> {
    const umbrella = await this.store.umbrellas.getUmbrella(username.toLowerCase())
    if (!umbrella) throw new NotFoundError(`There is no umbrella "${username}" on this hub`)
    return umbrella
  }

  /** The local umbrella `username` when `scope` (a token's) may act for it: 404 when unknown, 403 otherwise. */
  async requireFor (username: string, scope: string): Promise<UmbrellaRecord> {
    const umbrella = await this.require(username)
    if (scope !== ADMIN_SCOPE && scope !== umbrella.actorId) {
      throw new ForbiddenError(`This token does not act for umbrella "${umbrella.username}"`)
    }
    return umbrella
  }

  /** The umbrella's actor with its private key. */
  async requireActor (umbrella: UmbrellaRecord): Promise<ApexNode> {
    const actor = await this.store.getObject(umbrella.actorId, true)
    if (!actor) throw new NotFoundError(`The actor of umbrella "${umbrella.username}" is missing`)
    return actor
  }
}
