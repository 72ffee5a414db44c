/**
 * A co-op actor (this hub's own, or a followed sibling's) and its hosted services as one
 * directory source record.
 */
import { first, idOf, numberOf } from '../../domain/activity-streams/nodes'
import type { ApexNode, ServiceRecord } from '../../store/store.port'
import type { DirectoryService, SourceEntry } from '../../store/ports/directory.port'
import type { HostedService } from '../../schemas/generated/hosted-service'

/** What a co-op record is built from. */
export interface CoopSourceInput {
  actor: ApexNode
  services: ServiceRecord[]
  kind: 'local' | 'federated'
  /** The host of the hub the co-op lives on. */
  source: string
  /** Extra links, e.g. the local co-op's Murmurations profile. */
  links?: SourceEntry['links']
}

/** The record of one co-op: website (or actor id) as the merge key, profile, location, services. */
export function coopSourceEntry ({ actor, services, kind, source, links = [] }: CoopSourceInput): SourceEntry {
  const website = websiteOf(actor)
  const entry: SourceEntry = {
    source,
    kind,
    sourceId: actor.id,
    website,
    name: (first<string>(actor.name) ?? '').trim() || first<string>(actor.preferredUsername) || actor.id,
    status: 'active',
    actor: actor.id,
    url: actor.id,
    services: services.map(toDirectoryService).sort((a, b) => a.id.localeCompare(b.id)),
    links: [{ rel: 'activitypub', href: actor.id }, ...links]
  }
  // A local co-op's summary is plain text; a remote actor's is HTML (as AS2 and Mastodon have it).
  const rawSummary = first<string>(actor.summary) ?? ''
  const summary = kind === 'local' ? rawSummary.trim() : plainText(rawSummary)
  if (summary) entry.summary = summary
  const icon = first<unknown>(actor.icon)
  const logo = typeof icon === 'string' ? icon : icon && typeof icon === 'object' ? idOf((icon as Record<string, unknown>).url) : undefined
  if (logo && /^https?:\/\//.test(logo)) entry.logo = logo
  const location = locationOf(actor)
  if (location) entry.location = location
  const languages = (Array.isArray(actor.knowsLanguage) ? actor.knowsLanguage : [actor.knowsLanguage])
    .filter((l): l is string => typeof l === 'string' && /^[a-z]{2,3}$/.test(l))
  if (languages.length) entry.languages = languages
  const tags = (Array.isArray(actor.tag) ? actor.tag : [actor.tag])
    .map(t => t && typeof t === 'object' ? first<string>((t as Record<string, unknown>).name) : undefined)
    .filter((t): t is string => typeof t === 'string')
    .map(t => t.replace(/^#/, '').toLowerCase())
  if (tags.length) entry.tags = tags
  const updated = [first<string>(actor.updated), ...services.map(s => s.updatedAt)].filter((t): t is string => typeof t === 'string').sort().at(-1)
  if (updated && !Number.isNaN(Date.parse(updated))) entry.updatedAt = new Date(updated).toISOString()
  return entry
}

/** The co-op's website when its actor names one apart from itself; otherwise the actor id. */
export function websiteOf (actor: ApexNode): string {
  const urls = (Array.isArray(actor.url) ? actor.url : [actor.url])
    .map(u => typeof u === 'string' ? u : u && typeof u === 'object' ? idOf((u as Record<string, unknown>).href) ?? idOf(u) : undefined)
    .filter((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u) && u !== actor.id)
  return urls[0] ?? actor.id
}

function locationOf (actor: ApexNode): SourceEntry['location'] {
  const place = first<Record<string, unknown>>(actor.location)
  if (!place || typeof place !== 'object') return undefined
  const location: NonNullable<SourceEntry['location']> = {}
  const name = first<string>(place.name)
  if (typeof name === 'string' && name.trim()) location.address = name.trim()
  const country = first<string>(place.addressCountry)
  if (typeof country === 'string' && /^[A-Z]{2}$/.test(country)) location.country = country
  const lat = numberOf(first(place.latitude))
  const lon = numberOf(first(place.longitude))
  if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    location.lat = lat
    location.lon = lon
  }
  return Object.keys(location).length ? location : undefined
}

/** A hosted service as the directory lists it. */
export function toDirectoryService (record: ServiceRecord): DirectoryService {
  const s = record.object as unknown as HostedService
  const service: DirectoryService = { id: record.id, name: s.name, url: s.url, category: s.serviceType, access: s.access }
  // The hub writes "<name>: <category> service" when a co-op gave no summary: not worth showing or searching.
  if (s.summary && s.summary !== `${s.name}: ${s.serviceType} service`) service.summary = s.summary
  if (s.software?.name) service.software = { ...s.software }
  if (typeof s.acceptingMembers === 'boolean') service.acceptingMembers = s.acceptingMembers
  if (s.status) service.status = s.status
  if (s.checkedAt) service.checkedAt = s.checkedAt
  if (s.dataLocation) service.dataLocation = s.dataLocation
  return service
}

/** Text from a fediverse summary (HTML): tags removed, common entities decoded, spaces collapsed. */
export function plainText (html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}
