/**
 * A sibling hub's directory feed (`/directory.json`, format `ioocloud-directory/0.1`). Only the
 * sibling's own co-ops (`local: true`) are taken: what it imported from elsewhere the hub
 * imports from the original source, and what it federates arrives here by ActivityPub.
 */
import type { DirectoryEntry, DirectoryService, SourceEntry } from '../../../store/ports/directory.port'
import { coordinates, countryCode, languageCodes } from '../mapping/geo'
import { ACCEPT_JSON, isObject, JSON_TYPES, parseJson } from '../mapping/json'
import { list, oneOf, text } from '../mapping/text'
import { httpUrl, logoUrl, website } from '../mapping/web'
import { SourceFormatError } from '../source-error'
import type { DocumentNode, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'

const STATUSES = ['active', 'planned', 'paused', 'closed'] as const
const LEGAL_FORMS = ['cooperative', 'nonprofit', 'association', 'company', 'informal', 'other'] as const
const ACCESS = ['public', 'members', 'agreement'] as const
const SERVICE_STATUS = ['operational', 'degraded', 'down', 'retired'] as const

function mapService (s: Record<string, unknown>): DirectoryService | null {
  const id = httpUrl(s.id)
  const name = text(s.name, 200)
  const url = httpUrl(s.url)
  const category = typeof s.category === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(s.category) ? s.category : undefined
  const access = oneOf(s.access, ACCESS)
  if (!id || !name || !url || !category || !access) return null
  const service: DirectoryService = { id, name, url, category, access }
  const summary = text(s.summary, 2000)
  if (summary) service.summary = summary
  if (isObject(s.software) && text(s.software.name, 100)) service.software = { name: text(s.software.name, 100) as string }
  if (typeof s.acceptingMembers === 'boolean') service.acceptingMembers = s.acceptingMembers
  const status = oneOf(s.status, SERVICE_STATUS)
  if (status) service.status = status
  if (typeof s.checkedAt === 'string' && !Number.isNaN(Date.parse(s.checkedAt))) service.checkedAt = s.checkedAt
  const dataLocation = countryCode(s.dataLocation)
  if (dataLocation) service.dataLocation = dataLocation
  return service
}

function mapEntry (e: Record<string, unknown>, context: MappingContext): SourceEntry | string {
  const name = text(e.name, 300)
  if (!name) return 'it has no name'
  const site = website(e.url) ?? (typeof e.url === 'string' && /^urn:/i.test(e.url) ? e.url : undefined)
  const actor = httpUrl(e.actor)
  if (!site && !actor) return 'it has neither a url nor an actor'
  const entry: SourceEntry = {
    source: context.source,
    kind: 'imported',
    sourceId: actor ?? (site as string),
    website: site ?? (actor as string),
    name,
    status: oneOf(e.status, STATUSES) ?? 'active',
    url: context.sourceUrl
  }
  if (actor) entry.actor = actor
  const summary = text(e.summary)
  if (summary) entry.summary = summary
  const logo = logoUrl(e.logo)
  if (logo) entry.logo = logo
  const legalForm = oneOf(e.legalForm, LEGAL_FORMS)
  if (legalForm) entry.legalForm = legalForm
  const tags = list(e.tags)
  if (tags.length) entry.tags = tags
  const memberClasses = list(e.memberClasses)
  if (memberClasses.length) entry.memberClasses = memberClasses
  const languages = languageCodes(Array.isArray(e.languages) ? e.languages : [])
  if (languages.length) entry.languages = languages
  if (isObject(e.location)) {
    const l = e.location
    const point = coordinates(l.lat, l.lon)
    const location: NonNullable<DirectoryEntry['location']> = { ...(point ?? {}) }
    const address = text(l.address, 500)
    if (address) location.address = address
    const locality = text(l.locality, 200)
    if (locality) location.locality = locality
    const country = countryCode(l.country)
    if (country) location.country = country
    if (Object.keys(location).length) entry.location = location
  }
  // A feed republishes only role addresses, but the hub keeps no imported address at all.
  const contactUrl = isObject(e.contact) ? httpUrl(e.contact.url) : undefined
  if (contactUrl) entry.contact = { url: contactUrl }
  const services = (Array.isArray(e.services) ? e.services : []).filter(isObject).map(mapService).filter((s): s is DirectoryService => s !== null)
  if (services.length) entry.services = services
  const links = (Array.isArray(e.links) ? e.links : []).filter(isObject)
    .map(l => ({ rel: text(l.rel, 100), href: httpUrl(l.href) }))
    .filter((l): l is { rel: string, href: string } => Boolean(l.rel && l.href))
  if (links.length) entry.links = links
  if (typeof e.updatedAt === 'string' && !Number.isNaN(Date.parse(e.updatedAt))) entry.updatedAt = new Date(e.updatedAt).toISOString()
  return entry
}

/** A sibling hub's `directory.json`. */
export const hubDirectoryAdapter: SourceAdapter = {
  format: 'hub-directory',
  description: 'A sibling IoOCloud hub\'s /directory.json (its own co-ops)',
  defaultName: 'hub',
  accept: () => ACCEPT_JSON,
  contentTypes: () => JSON_TYPES,
  singleDocument: true,

  parse (document: SourceDocument): ParsedDocument {
    const data = parseJson(document)
    if (!isObject(data) || data.schema !== 'ioocloud-directory/0.1' || !Array.isArray(data.entries)) {
      throw new SourceFormatError(`${document.url} is not an IoOCloud directory feed (schema ioocloud-directory/0.1 with entries)`)
    }
    return { data: data.entries, children: [] }
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    const result: MappingResult = { entries: [], rejected: [], unavailable: [] }
    const seen = new Set<string>()
    for (const [i, raw] of (root.data as unknown[]).entries()) {
      if (!isObject(raw)) { result.rejected.push({ key: `entry ${i}`, reason: 'it is not an object' }); continue }
      if (raw.local !== true) continue
      const mapped = mapEntry(raw, context)
      if (typeof mapped === 'string') result.rejected.push({ key: String(raw.id ?? `entry ${i}`), reason: mapped })
      else if (seen.has(mapped.sourceId)) result.rejected.push({ key: mapped.sourceId, reason: 'listed twice' })
      else { seen.add(mapped.sourceId); result.entries.push(mapped) }
    }
    return result
  }
}
