import type { HostedService, Software } from '../schemas/generated/hosted-service'
import { AS_PUBLIC } from './activity-streams/nodes'
import type { ServicePutRequest } from '../schemas/generated/service-put'

export type { HostedService }

/** The ActivityStreams public address: services are public. */

/** Keys name a service inside its co-op and appear in its URL. */
export const SERVICE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/

/** Where a service object lives and who publishes it; decided by the caller. */
export interface ServiceIdentity {
  id: string
  actorId: string
  /** The co-op's followers collection, for the secondary audience. */
  followers: string
  published: string
  updated: string
}

/**
 * Builds the federated HostedService from an admin's request: the AS2 fallback type `Page`
 * first, with non-empty `name`, `summary` and `url`, so Mastodon can show it.
 */
export function buildHostedService (input: ServicePutRequest, who: ServiceIdentity): HostedService {
  const service: HostedService = {
    id: who.id,
    type: ['Page', 'ioo:HostedService'],
    attributedTo: who.actorId,
    name: input.name,
    // Mastodon renders converted Pages as name + summary + link: an empty summary shows nothing.
    summary: input.summary?.trim() ? input.summary : `${input.name}: ${input.category} service`,
    url: input.url,
    serviceType: input.category,
    access: input.access,
    published: who.published,
    updated: who.updated,
    to: [AS_PUBLIC],
    cc: [who.followers]
  }
  const software = normaliseSoftware(input.software)
  if (software) service.software = software
  if (input.acceptingMembers !== undefined) service.acceptingMembers = input.acceptingMembers
  if (input.dataLocation) service.dataLocation = input.dataLocation
  if (input.termsOfService) service.termsOfService = input.termsOfService
  return service
}

/** The API takes software as a name or an object; the federated form is always an object. */
export function normaliseSoftware (software: ServicePutRequest['software']): Software | undefined {
  if (software === undefined) return undefined
  return typeof software === 'string' ? { name: software } : software
}

/** True when a federated object claims to be a HostedService (by its type list). */
export function isHostedServiceType (type: unknown): boolean {
  return Array.isArray(type) ? type.includes('ioo:HostedService') : type === 'ioo:HostedService'
}
