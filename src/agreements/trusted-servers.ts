import { effectiveStatus, openingsOf } from '../domain/member-exchange-agreement'
import type { HostedService } from '../domain/hosted-service'
import type { Apex } from '../federation/apex-setup'
import { checkedObject } from '../federation/received-object'
import type { RemoteActors } from '../federation/remote-actors'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { HubStore } from '../store/store.port'
import type { CoopService } from '../coops/coop.service'

/** One partner server to paste into Nextcloud's "Trusted servers". */
export interface TrustedServer {
  url: string
  partner: string
  service: string
  software: string
  agreement: string
}

const FILE_CLOUDS = /\b(nextcloud|owncloud)\b/i

/**
 * The Nextcloud federation bridge: from a co-op's agreements in force, the partners' services
 * that run Nextcloud or ownCloud, as the server URLs Nextcloud's "Trusted servers" setting takes.
 * A service is read from the hub's listing, or fetched from its origin when not listed.
 */
export class TrustedServers {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly remote: RemoteActors,
    private readonly schemas: SchemaValidator,
    private readonly logger: Logger
  ) {}

  /** The partner servers of co-op `username`, one per URL, sorted. */
  async list (username: string): Promise<TrustedServer[]> {
    const self = (await this.coops.require(username)).actorId
    const now = new Date().toISOString()
    const found = new Map<string, TrustedServer>()
    for (const record of await this.store.agreements.listAgreements({ party: self })) {
      if (effectiveStatus(record, now) !== 'active' || !record.activeVersionId) continue
      const active = record.versions.find(v => v.id === record.activeVersionId)
      if (!active) continue
      for (const opening of openingsOf(active.object)) {
        if (opening.party === self) continue
        const service = await this.service(opening.service)
        const software = service?.software?.name ?? ''
        if (!service || service.attributedTo !== opening.party || !FILE_CLOUDS.test(software)) continue
        const url = new URL(service.url).origin
        if (!found.has(url)) found.set(url, { url, partner: opening.party, service: service.id, software, agreement: record.id })
      }
    }
    return [...found.values()].sort((a, b) => a.url.localeCompare(b.url))
  }

  private async service (id: string): Promise<HostedService | null> {
    const listed = await this.store.getService(id)
    if (listed) return listed.object as unknown as HostedService
    try {
      const service = await checkedObject(this.apex, this.schemas, 'objects/hosted-service.schema.json', await this.remote.fetchNode(id), 'HostedService')
      if (typeof service !== 'string') return service
      this.logger.info({ service: id, problem: service }, 'trusted servers: service not valid')
    } catch (err) {
      this.logger.info({ service: id, err: (err as Error).message }, 'trusted servers: service not readable')
    }
    return null
  }
}
