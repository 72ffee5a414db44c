import { ConflictError, NotFoundError, ValidationError } from '../errors/app-errors'
import { plainDocument } from '../federation/actors/plain-document'
import { applyProfilePatch, usernameProblem } from '../domain/coop'
import { ADMIN_SCOPE, TokenService } from '../auth/token.service'
import { generateActorKeys } from '../federation/actors/actor-keys'
import { buildCoopActor, coopCollections, coopProfileOf, rebuildCoopActor } from '../federation/actors/coop-actor'
import type { CoopProfile } from '../domain/coop'
import { Apex } from '../federation/apex-setup'
import { first } from '../domain/activity-streams/nodes'
import type { Publisher } from '../federation/publisher'
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
  location: CoopProfile['location'] | null
  languages: string[]
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
    /** Told when a co-op is created or edited (the directory index listens). */
    private readonly changes?: HubChanges,
    /** Sends the Update of an edited co-op's actor to its followers. */
    private readonly publisher?: Publisher
  ) {}

  /** Creates a co-op from an API or CLI body; 409 when the username is taken. */
  async create (body: unknown): Promise<CreatedCoop> {
    const input = this.schemas.validate('api/coop-create.schema.json', body)
    const problem = usernameProblem(input.username)
    if (problem) throw new ValidationError(`The username cannot be used: ${problem}`, { username: problem })
    if (await this.store.getCoop(input.username)) {
      throw new ConflictError(`The username "${input.username}" is already taken on this hub`)
    }
    // A deleted co-op's actor id keeps answering 410: its username is never given out again.
    if ((await this.store.getObject(this.apex.utils.usernameToIRI(input.username)))?.type === 'Tombstone') {
      throw new ConflictError(`The username "${input.username}" belonged to a deleted co-op and is never reused on this hub; choose another`)
    }
    const followPolicy = input.followPolicy ?? 'automatic'
    const keys = await generateActorKeys()
    const doc = buildCoopActor(this.hubUrl, { ...input, followPolicy }, keys.publicKeyPem)
    const actor = await this.apex.fromJSONLD({ '@context': this.apex.context, ...doc }) as ApexNode
    actor._meta = { privateKey: keys.privateKeyPem }
    // The actor first: a crash before the co-op record leaves an actor that a retry overwrites.
    if (!(await this.store.saveObject(actor))) await this.store.updateObject(actor, actor.id, true)
    let token = ''
    await this.store.transaction(async () => {
      await this.store.saveCoop({ username: input.username, actorId: actor.id, followPolicy, createdAt: new Date().toISOString() })
      token = await this.tokens.issue(actor.id, `co-op ${input.username}`)
    })
    await this.changes?.publish({ type: 'coop', actorId: actor.id })
    return { id: actor.id, username: input.username, token }
  }

  /**
   * Edits co-op `username`'s profile (PATCH body): rebuilds its actor with the same id, keys and
   * published date, stores it, sends an Update of it to its followers (Mastodon refreshes a
   * profile on an Update of an actor by itself) and tells the directory.
   */
  async update (username: string, body: unknown): Promise<CoopView> {
    const input = this.schemas.validate('api/coop-update.schema.json', body)
    const coop = await this.require(username)
    const actor = await this.requireActor(username)
    const previous = await plainDocument(this.apex, actor)
    const profile = applyProfilePatch(coopProfileOf(previous, coop.followPolicy), input)
    const doc = rebuildCoopActor(this.hubUrl, previous, profile, new Date().toISOString())
    if (profile.followPolicy !== coop.followPolicy) await this.store.setFollowPolicy(coop.username, profile.followPolicy)
    if (this.publisher) {
      // The actor document is stored in the same transaction as the Update announcing it.
      const node = await this.apex.fromJSONLD({ '@context': this.apex.context, ...doc }) as ApexNode
      await this.publisher.send(actor, 'Update', { object: node }, undefined, { objects: [{ ...node, _meta: actor._meta }] })
    } else {
      await this.storeActorDocument(actor, doc)
    }
    await this.changes?.publish({ type: 'coop', actorId: actor.id })
    return await this.view(username)
  }

  /**
   * Gives every co-op actor stored before a collection was added (`fundingPools`, `agreements`)
   * the collections the hub serves now; run at start-up. Nothing is sent: followers see them when
   * they next read the actor (sibling sync refetches it). Answers the usernames it changed.
   */
  async ensureCollections (): Promise<string[]> {
    const changed: string[] = []
    for (const coop of await this.store.listCoops()) {
      const actor = await this.store.getObject(coop.actorId, true)
      if (!actor) continue
      const previous = await plainDocument(this.apex, actor)
      const wanted = coopCollections(this.hubUrl, coop.username)
      if (Object.entries(wanted).every(([name, iri]) => previous[name] === iri)) continue
      await this.storeActorDocument(actor, { ...previous, ...wanted })
      changed.push(coop.username)
    }
    return changed
  }

  /** Replaces the stored actor with `doc`, keeping its private key; answers the public node. */
  private async storeActorDocument (actor: ApexNode, doc: Record<string, unknown>): Promise<ApexNode> {
    const node = await this.apex.fromJSONLD({ '@context': this.apex.context, ...doc }) as ApexNode
    await this.store.updateObject({ ...node, _meta: actor._meta }, actor.id, true)
    return node
  }

  /** Every co-op of this hub, by username. */
  async list (): Promise<CoopView[]> {
    return await Promise.all((await this.store.listCoops()).map(coop => this.view(coop.username)))
  }

  /**
   * Deletes co-op `username`: sends a Delete of its actor to its followers (their hubs drop it
   * from their directories), then leaves a Tombstone at its id (answered 410, its key kept to
   * sign the queued Delete) and removes its services, record and tokens. Answers its actor id.
   */
  async delete (username: string): Promise<string> {
    const coop = await this.require(username)
    const actor = await this.requireActor(username)
    await this.publisher?.send(actor, 'Delete', { object: actor.id })
    const tombstone = await this.apex.buildTombstone({ id: actor.id, type: 'Tombstone' })
    await this.store.updateObject({ ...tombstone, _meta: actor._meta }, actor.id, true)
    await this.store.transaction(async () => {
      for (const service of await this.store.listServices({ actorId: actor.id, local: true })) await this.store.deleteService(service.id)
      await this.store.deleteCoop(coop.username)
    })
    await this.changes?.publish({ type: 'coop', actorId: actor.id })
    return actor.id
  }

  /** The co-op record, or 404. */
  async require (username: string): Promise<CoopRecord> {
    const coop = await this.store.getCoop(username)
    if (!coop) throw new NotFoundError(`There is no co-op "${username}" on this hub`)
    return coop
  }

  /** The co-op's actor with its private key, or 404. */
  async requireActor (username: string): Promise<ApexNode> {
    const coop = await this.require(username)
    const actor = await this.store.getObject(coop.actorId, true)
    if (!actor) throw new NotFoundError(`The actor of co-op "${username}" is missing`)
    return actor
  }

  /** The public view of a co-op. */
  async view (username: string): Promise<CoopView> {
    const coop = await this.require(username)
    const actor = await this.store.getObject(coop.actorId)
    const icon = first<Record<string, unknown>>(actor?.icon)
    const url = first<string>(actor?.url) ?? null
    const profile = actor ? coopProfileOf(await plainDocument(this.apex, actor), coop.followPolicy) : null
    return {
      id: coop.actorId,
      username: coop.username,
      name: first<string>(actor?.name) ?? coop.username,
      summary: first<string>(actor?.summary) ?? '',
      url: url === coop.actorId ? null : url,
      icon: icon ? first<string>(icon.url) ?? null : null,
      followPolicy: coop.followPolicy,
      location: profile?.location ?? null,
      languages: profile?.languages ?? [],
      createdAt: coop.createdAt
    }
  }

  /** True when `scope` (a token's) may act for the co-op `username`. */
  static mayActFor (scope: string, coop: CoopRecord): boolean {
    return scope === ADMIN_SCOPE || scope === coop.actorId
  }
}
