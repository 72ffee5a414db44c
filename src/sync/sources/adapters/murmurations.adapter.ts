/**
 * Murmurations: a query of the index (`/v2/nodes?schema=…`) lists profile URLs; each profile is
 * fetched from its own site and validated against `organizations_schema-v1.0.0` before mapping.
 */
import type { SourceEntry } from '../../../store/ports/directory.port'
import { contact } from '../mapping/contact'
import { coordinates, countryCode } from '../mapping/geo'
import { ACCEPT_JSON, isObject, JSON_TYPES, parseJson } from '../mapping/json'
import { list, text } from '../mapping/text'
import { httpUrl, logoUrl, website } from '../mapping/web'
import { SourceFormatError } from '../source-error'
import { ChildRequest, DocumentNode, isFailed, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'
import { murmurationsProfileProblem } from './murmurations.schema'

const STATUS: Record<string, SourceEntry['status']> = {
  active: 'active',
  in_planning: 'planned',
  on_hold: 'paused',
  completed: 'closed',
  cancelled: 'closed'
}

/** What the index says about a profile. */
interface IndexItem { profileUrl: string, lastUpdated?: string }

function parseIndex (document: SourceDocument): ParsedDocument {
  const data = parseJson(document)
  if (!isObject(data) || !Array.isArray(data.data)) throw new SourceFormatError(`${document.url} is not a Murmurations index answer (no data array)`)
  const items: IndexItem[] = []
  const children: ChildRequest[] = []
  for (const node of data.data) {
    if (!isObject(node) || node.status === 'deleted') continue
    const profileUrl = httpUrl(node.profile_url)
    if (!profileUrl) continue
    const seconds = typeof node.last_updated === 'number' ? node.last_updated : undefined
    items.push({ profileUrl, lastUpdated: seconds ? new Date(seconds * 1000).toISOString() : undefined })
    children.push({ url: profileUrl, role: 'profile', key: profileUrl })
  }
  const next = isObject(data.links) ? httpUrl(data.links.next) : undefined
  if (next) children.push({ url: new URL(next, document.url).href, role: 'index', key: next })
  return { data: items, children }
}

function mapProfile (profile: Record<string, unknown>, item: IndexItem, context: MappingContext): SourceEntry | string {
  const problem = murmurationsProfileProblem(profile)
  if (problem) return `it does not match ${'organizations_schema-v1.0.0'}: ${problem}`
  const name = text(profile.name, 300) as string
  const urls = Array.isArray(profile.urls) ? profile.urls.filter(isObject) : []
  const site = website(profile.primary_url) ?? website(urls[0]?.url) ?? item.profileUrl
  const entry: SourceEntry = {
    source: context.source,
    kind: 'imported',
    sourceId: item.profileUrl,
    website: site,
    name,
    status: STATUS[String(profile.status)] ?? 'active',
    url: item.profileUrl
  }
  const summary = text(profile.description) ?? text(profile.mission)
  if (summary) entry.summary = summary
  const logo = logoUrl(profile.image)
  if (logo) entry.logo = logo
  const tags = list(profile.tags)
  if (tags.length) entry.tags = tags
  const geo = isObject(profile.geolocation) ? coordinates(profile.geolocation.lat, profile.geolocation.lon) : undefined
  const country = countryCode(profile.country_iso_3166)
  const address = text(profile.full_address, 500)
  if (geo || country || address) entry.location = { ...(address ? { address } : {}), ...(country ? { country } : {}), ...(geo ?? {}) }
  const details = isObject(profile.contact_details) ? profile.contact_details : {}
  const reachable = contact(details.email, details.contact_form)
  if (reachable) entry.contact = reachable
  const links: NonNullable<SourceEntry['links']> = [{ rel: 'murmurations', href: item.profileUrl }]
  for (const u of urls) {
    const href = httpUrl(u.url)
    if (href && href !== site) links.push({ rel: 'related', href })
  }
  const rss = httpUrl(profile.rss)
  if (rss) links.push({ rel: 'feed', href: rss })
  entry.links = links
  if (item.lastUpdated) entry.updatedAt = item.lastUpdated
  return entry
}

/** Murmurations index query → profiles (organizations_schema-v1.0.0). */
export const murmurationsAdapter: SourceAdapter = {
  format: 'murmurations',
  description: 'Murmurations: an index query (/v2/nodes?schema=organizations_schema-v1.0.0…), then each profile',
  defaultName: 'murmurations.network',
  accept: () => ACCEPT_JSON,
  contentTypes: () => JSON_TYPES,

  parse (document: SourceDocument, role: string): ParsedDocument {
    if (role !== 'profile') return parseIndex(document)
    const profile = parseJson(document)
    if (!isObject(profile)) throw new SourceFormatError(`${document.url} is not a JSON object`)
    return { data: profile, children: [] }
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    const result: MappingResult = { entries: [], rejected: [], unavailable: [] }
    const seen = new Set<string>()
    let index: DocumentNode | undefined = root
    while (index) {
      const items = new Map((index.data as IndexItem[]).map(i => [i.profileUrl, i]))
      let next: DocumentNode | undefined
      for (const child of index.children) {
        if (child.role === 'index') {
          if (isFailed(child)) throw new SourceFormatError(`page ${child.url} of the index failed: ${child.error}`)
          next = child
          continue
        }
        if (seen.has(child.key)) continue
        seen.add(child.key)
        if (isFailed(child)) {
          result.unavailable.push(child.key)
          result.rejected.push({ key: child.key, reason: child.error })
          continue
        }
        const mapped = mapProfile(child.data as Record<string, unknown>, items.get(child.key) ?? { profileUrl: child.key }, context)
        if (typeof mapped === 'string') result.rejected.push({ key: child.key, reason: mapped })
        else result.entries.push(mapped)
      }
      index = next
    }
    return result
  }
}
