/**
 * CHATONS (ChatonsInfos / StatoolInfos properties files): the federation file lists each
 * member organisation's file under `subs.*`; each organisation file lists its service files.
 * Keys are read case-insensitively, since members write both `startDate` and `startdate`.
 */
import { parse as parseProperties } from 'dot-properties'
import type { DirectoryService, SourceEntry } from '../../../store/ports/directory.port'
import { contact } from '../mapping/contact'
import { coordinates, countryCode } from '../mapping/geo'
import { categoryOfSoftware } from '../mapping/software-category'
import { slug, text } from '../mapping/text'
import { httpUrl, logoUrl, website } from '../mapping/web'
import { SourceFormatError } from '../source-error'
import { ChildRequest, DocumentNode, DroppedLink, isFailed, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'

type Props = Record<string, string>

const LEGAL_FORM: Record<string, NonNullable<SourceEntry['legalForm']>> = {
  cooperative: 'cooperative',
  association: 'association',
  informal: 'informal',
  microcompany: 'company',
  company: 'company',
  individual: 'other',
  other: 'other'
}

const STATUS: Record<string, SourceEntry['status']> = { active: 'active', idle: 'paused', away: 'closed' }

/** CHATONS registration → who may use the service (the hub's access words). */
const ACCESS: Record<string, DirectoryService['access']> = { none: 'public', free: 'public', member: 'members', client: 'members' }

function readProperties (document: SourceDocument): Props {
  if (/^\s*</.test(document.body)) throw new SourceFormatError(`${document.url} is an HTML page, not a properties file`)
  let raw: Record<string, unknown>
  try {
    raw = parseProperties(document.body) as Record<string, unknown>
  } catch (err) {
    throw new SourceFormatError(`${document.url} is not a readable properties file: ${(err as Error).message}`)
  }
  const props: Props = {}
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') props[k.toLowerCase()] = v
  if (!props['file.class']) throw new SourceFormatError(`${document.url} is not a ChatonsInfos file: it has no file.class`)
  return props
}

/**
 * A link as members write it: the URL itself, or wrapped in quotes ('…', "…") or angle brackets
 * (<…>), which the properties format keeps as part of the value. Relative to the file when it
 * has no scheme and no host.
 */
function linkValue (value: string | undefined, base: string): string | undefined {
  if (value === undefined) return undefined
  const raw = unwrapped(value)
  if (/^\.{0,2}\//.test(raw)) {
    try { return httpUrl(new URL(raw, base).href) } catch { return undefined }
  }
  return httpUrl(raw)
}

const WRAPPED = /^(?:'(.*)'|"(.*)"|<(.*)>)$/

/** The value without the quotes or angle brackets around it (several layers, as found). */
function unwrapped (value: string): string {
  let raw = value.trim()
  for (let m = WRAPPED.exec(raw); m; m = WRAPPED.exec(raw)) raw = (m[1] ?? m[2] ?? m[3]).trim()
  return raw
}

function subs (props: Props, base: string, role: string): { children: ChildRequest[], dropped: DroppedLink[] } {
  const children: ChildRequest[] = []
  const dropped: DroppedLink[] = []
  for (const [key, value] of Object.entries(props)) {
    if (!key.startsWith('subs.')) continue
    const url = linkValue(value, base)
    if (url) children.push({ url, role, key: url })
    else dropped.push({ document: base, field: key, value, reason: 'not an http(s) address' })
  }
  return { children, dropped }
}

function mapService (p: Props, url: string): DirectoryService | string {
  const name = text(p['service.name'], 200)
  const href = linkValue(p['service.website'], url) ?? linkValue(p['service.url'], url)
  if (!name || !href) return `service file ${url} has no service.name or service.website`
  const softwareName = text(p['software.name'], 100)
  const service: DirectoryService = {
    id: url,
    name,
    url: href,
    category: categoryOfSoftware(softwareName ?? name),
    access: ACCESS[(p['service.registration'] ?? '').trim().toLowerCase()] ?? 'public'
  }
  const summary = text(p['service.description'], 2000)
  if (summary) service.summary = summary
  if (softwareName) {
    const homepage = linkValue(p['software.website'], url)
    const version = text(p['software.version'], 50)
    service.software = { name: softwareName, ...(homepage ? { homepage } : {}), ...(version ? { version } : {}) }
  }
  const load = (p['service.registration.load'] ?? '').trim().toUpperCase()
  if (load === 'OPEN' || load === 'FULL') service.acceptingMembers = load === 'OPEN'
  return service
}

/** A refusal; `keep` when the organisation's last imported record should stay (a file below it failed). */
interface Refusal { reason: string, keep: boolean }

function mapOrganization (node: DocumentNode, context: MappingContext): SourceEntry | Refusal {
  const p = node.data as Props
  const name = text(p['organization.name'], 300)
  if (!name) return { reason: 'it has no organization.name', keep: false }
  const entry: SourceEntry = {
    source: context.source,
    kind: 'imported',
    sourceId: node.key,
    website: website(unwrapped(p['organization.website'] ?? '')) ?? `urn:chatons:${slug(name)}`,
    name,
    status: STATUS[(p['organization.status.level'] ?? '').trim().toLowerCase()] ?? 'active',
    tags: ['hoster', 'chatons'],
    url: node.url
  }
  const summary = text(p['organization.description'])
  if (summary) entry.summary = summary
  const logo = logoUrl(unwrapped(p['organization.logo'] ?? ''))
  if (logo) entry.logo = logo
  const form = LEGAL_FORM[(p['organization.type'] ?? '').trim().toLowerCase()]
  if (form) entry.legalForm = form
  const geo = coordinates(p['organization.geolocation.latitude'], p['organization.geolocation.longitude'])
  const country = countryCode(p['organization.country.code'])
  const address = text(p['organization.geolocation.address'], 500)
  if (geo || country || address) entry.location = { ...(address ? { address } : {}), ...(country ? { country } : {}), ...(geo ?? {}) }
  const reachable = contact(p['organization.contact.email'], p['organization.contact.url'])
  if (reachable) entry.contact = reachable
  const links: NonNullable<SourceEntry['links']> = [{ rel: 'chatonsinfos', href: node.url }]
  for (const [key, value] of Object.entries(p)) {
    const m = /^organization\.(socialnetworks|chatrooms|funding)\.([a-z0-9]+)$/.exec(key)
    const href = m ? linkValue(value, node.url) : undefined
    if (m && href) links.push({ rel: m[1] === 'funding' ? 'donate' : m[2], href })
  }
  const legal = linkValue(p['organization.legal.url'], node.url)
  if (legal) links.push({ rel: 'legal', href: legal })
  entry.links = links
  const services: DirectoryService[] = []
  for (const child of node.children) {
    if (isFailed(child)) return { reason: `its service file ${child.url} failed: ${child.error}`, keep: true }
    const service = mapService(child.data as Props, child.url)
    if (typeof service !== 'string') services.push(service)
  }
  if (services.length) entry.services = services
  const datetime = text(p['file.datetime'])
  if (datetime && !Number.isNaN(Date.parse(datetime))) entry.updatedAt = new Date(datetime).toISOString()
  return entry
}

/** CHATONS federation properties file → organisations → services. */
export const chatonsAdapter: SourceAdapter = {
  format: 'chatons',
  description: 'CHATONS ChatonsInfos properties files: federation file → organisations → services',
  defaultName: 'chatons.org',
  accept: () => 'text/plain, text/x-java-properties;q=0.9, */*;q=0.5',
  contentTypes: () => ['text/plain', 'text/x-java-properties', 'application/octet-stream', 'text/x-properties'],

  parse (document: SourceDocument, role: string): ParsedDocument {
    const props = readProperties(document)
    const fileClass = props['file.class'].trim().toLowerCase()
    if (role === 'root' && fileClass === 'federation') return { data: props, ...subs(props, document.url, 'organization') }
    if ((role === 'root' || role === 'organization') && fileClass === 'organization') return { data: props, ...subs(props, document.url, 'service') }
    if (role === 'service' && fileClass === 'service') return { data: props, children: [] }
    throw new SourceFormatError(`${document.url} is a ChatonsInfos ${fileClass} file where a ${role === 'root' ? 'federation or organization' : role} file was expected`)
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    const result: MappingResult = { entries: [], rejected: [], unavailable: [] }
    // The source may be one organisation's file rather than the federation's.
    const organizations = (root.data as Props)['file.class'].trim().toLowerCase() === 'organization' ? [root] : root.children
    const seen = new Set<string>()
    for (const org of organizations) {
      if (seen.has(org.key)) continue
      seen.add(org.key)
      if (isFailed(org)) {
        result.unavailable.push(org.key)
        result.rejected.push({ key: org.key, reason: org.error })
        continue
      }
      const mapped = mapOrganization(org, context)
      if ('reason' in mapped) {
        // Keep what was last imported for it: one broken service file should not remove a member.
        if (mapped.keep) result.unavailable.push(org.key)
        result.rejected.push({ key: org.key, reason: mapped.reason })
      } else {
        result.entries.push(mapped)
      }
    }
    return result
  }
}
