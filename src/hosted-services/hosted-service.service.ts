import { NotFoundError, ValidationError } from '../errors/app-errors'
import { buildHostedService, HostedService, SERVICE_KEY_PATTERN } from '../domain/hosted-service'
import { Apex } from '../federation/apex-setup'
import { first } from '../domain/activity-streams/nodes'
import type { Publisher } from '../federation/publisher'
import { checkedObject, ownershipProblem } from '../federation/received-object'
import { serviceIri } from '../federation/routes/route-paths'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore, ServiceRecord } from '../store/store.port'
import type { CoopService } from '../coops/coop.service'
import type { HubChanges } from '../events/hub-changes'

/** A hosted service as the public API lists it. */
export interface ServiceView {
  id: string
  actor: { id: string, name: string | null, preferredUsername: string | null }
  name: string
  summary: string
  url: string
  category: string
  software: HostedService['software'] | null
  access: HostedService['access']
  acceptingMembers: boolean | null
  status: HostedService['status'] | null
  dataLocation: string | null
  local: boolean
  updated: string
}

/** Lists, publishes and receives hosted services. */
export class HostedServiceService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly publisher: Publisher,
    private readonly schemas: SchemaValidator,
    private readonly hubUrl: string,
    /** Told when an actor's listed services change (the directory index listens). */
    private readonly changes?: HubChanges
  ) {}

  /** Creates or replaces a co-op's service and federates Create or Update; answers its id. */
  async put (username: string, key: string, body: unknown): Promise<{ id: string, created: boolean }> {
    if (!SERVICE_KEY_PATTERN.test(key)) {
      throw new ValidationError('The service key in the URL must be a lower-case slug of letters, digits and -, e.g. files', { key: 'must be a lower-case slug' })
    }
    const input = this.schemas.validate('api/service-put.schema.json', body)
    const actor = await this.coops.requireActor(username)
    const id = serviceIri(this.hubUrl, username, key)
    const existing = await this.store.getService(id)
    const now = new Date().toISOString()
    const service = buildHostedService(input, { id, actorId: actor.id, followers: first<string>(actor.followers) ?? `${actor.id}/followers`, published: (existing?.object.published as string | undefined) ?? now, updated: now })
    // The listing is stored in the same transaction as the object and its activity.
    await this.publisher.publishObject(actor, existing ? 'Update' : 'Create', service as unknown as Record<string, unknown>, [{ kind: 'service-upsert', service: toRecord(service, true) }])
    await this.changes?.publish({ type: 'services', actorId: actor.id, local: true })
    return { id, created: !existing }
  }

  /** Deletes a co-op's service and federates Delete; 404 when there is none. */
  async remove (username: string, key: string): Promise<void> {
    const actor = await this.coops.requireActor(username)
    const id = serviceIri(this.hubUrl, username, key)
    if (!await this.store.getService(id)) throw new NotFoundError(`Co-op "${username}" has no service "${key}"`)
    await this.publisher.publishDelete(actor, id, [{ kind: 'service-delete', id }])
    await this.changes?.publish({ type: 'services', actorId: actor.id, local: true })
  }

  /** Services this hub lists, local and federated, with the actor publishing each. */
  async list (filter: { actorId?: string, category?: string, local?: boolean }): Promise<ServiceView[]> {
    const records = await this.store.listServices(filter)
    const actors = new Map<string, ApexNode | null>()
    for (const r of records) {
      if (!actors.has(r.actorId)) actors.set(r.actorId, await this.store.getObject(r.actorId))
    }
    return records.map(r => toView(r, actors.get(r.actorId) ?? null))
  }

  /**
   * Lists a HostedService that arrived in a Create or Update from `actor`, after checking it
   * against the schema and that the actor really is its publisher. Answers why it was dropped.
   */
  async receive (actor: ApexNode, object: ApexNode): Promise<string | null> {
    const service = await checkedObject(this.apex, this.schemas, 'objects/hosted-service.schema.json', object, 'HostedService')
    if (typeof service === 'string') return service
    const problem = ownershipProblem(service, actor.id)
    if (problem) return problem
    await this.store.upsertService(toRecord(service, false))
    await this.changes?.publish({ type: 'services', actorId: actor.id, local: false })
    return null
  }

  /**
   * Sets a local service's health from a probe and federates an Update; false (and no Update)
   * when the status is the one it already has, or the service is not a local one.
   */
  async updateHealth (id: string, status: NonNullable<HostedService['status']>, checkedAt: string): Promise<boolean> {
    const existing = await this.store.getService(id)
    if (!existing || !existing.local) return false
    const current = existing.object as unknown as HostedService
    if (current.status === status) return false
    const actor = await this.publisher.localActor(existing.actorId)
    if (!actor) return false
    const service: HostedService = { ...current, status, checkedAt, updated: checkedAt }
    await this.publisher.publishObject(actor, 'Update', service as unknown as Record<string, unknown>, [{ kind: 'service-upsert', service: toRecord(service, true) }])
    await this.changes?.publish({ type: 'services', actorId: actor.id, local: true })
    return true
  }

  /** Unlists a federated service its publisher deleted; false when it was not listed or not theirs. */
  async forget (actorId: string, objectId: string): Promise<boolean> {
    const existing = await this.store.getService(objectId)
    if (!existing || existing.local || existing.actorId !== actorId) return false
    const deleted = await this.store.deleteService(objectId)
    if (deleted) await this.changes?.publish({ type: 'services', actorId, local: false })
    return deleted
  }
}

function toRecord (service: HostedService, local: boolean): ServiceRecord {
  return {
    id: service.id,
    actorId: service.attributedTo,
    category: service.serviceType,
    local,
    object: service as unknown as Record<string, unknown>,
    updatedAt: service.updated ?? new Date().toISOString()
  }
}

function toView (record: ServiceRecord, actor: ApexNode | null): ServiceView {
  const s = record.object as unknown as HostedService
  return {
    id: record.id,
    actor: {
      id: record.actorId,
      name: first<string>(actor?.name) ?? null,
      preferredUsername: first<string>(actor?.preferredUsername) ?? null
    },
    name: s.name,
    summary: s.summary,
    url: s.url,
    category: s.serviceType,
    software: s.software ?? null,
    access: s.access,
    acceptingMembers: s.acceptingMembers ?? null,
    status: s.status ?? null,
    dataLocation: s.dataLocation ?? null,
    local: record.local,
    updated: record.updatedAt
  }
}
