/**
 * The Platform Cooperativism Consortium directory API (`/api/organizations/`): organisations as
 * GeoJSON Features (Django REST Framework GIS), possibly paginated with `next` links.
 */
import type { SourceEntry } from '../../../store/ports/directory.port'
import { contact } from '../mapping/contact'
import { coordinates, countryCode, languageCodes } from '../mapping/geo'
import { ACCEPT_JSON, isObject, JSON_TYPES, parseJson } from '../mapping/json'
import { list, text } from '../mapping/text'
import { httpUrl, logoUrl, website } from '../mapping/web'
import { SourceFormatError } from '../source-error'
import { DocumentNode, FailedDocument, isFailed, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'

type Feature = Record<string, unknown>

/** The features of a page, whichever of DRF's shapes it comes in. */
function featuresOf (data: Record<string, unknown>): Feature[] | null {
  const results = data.results
  if (Array.isArray(data.features)) return data.features.filter(isObject)
  if (isObject(results) && Array.isArray(results.features)) return results.features.filter(isObject)
  if (Array.isArray(results)) return results.filter(isObject)
  return null
}

/** Names out of a list of strings or `{name}` objects. */
function names (value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return list(value.map(v => isObject(v) ? v.name : v))
}

function legalForm (type: string[]): SourceEntry['legalForm'] | undefined {
  const joined = type.join(' ')
  if (/co-?op/.test(joined)) return 'cooperative'
  if (/non-?profit|charity/.test(joined)) return 'nonprofit'
  if (/association/.test(joined)) return 'association'
  if (/company|business|corporation|llc/.test(joined)) return 'company'
  return joined ? 'other' : undefined
}

function mapFeature (feature: Feature, context: MappingContext): SourceEntry | string {
  const p = isObject(feature.properties) ? feature.properties : feature
  const name = text(p.name, 300)
  if (!name) return 'it has no name'
  const site = website(p.url)
  const id = p.id === undefined || p.id === null ? undefined : text(p.id)
  if (!site && !id) return 'it has neither a url nor an id'
  const sourceId = id ?? (site as string)
  const entry: SourceEntry = {
    source: context.source,
    kind: 'imported',
    sourceId,
    website: site ?? `urn:platform-coop:${sourceId}`,
    name,
    status: 'active',
    url: context.sourceUrl
  }
  const summary = text(p.description)
  if (summary) entry.summary = summary
  const logo = logoUrl(p.logo_url)
  if (logo) entry.logo = logo
  const form = legalForm([...names([p.type].flat()), ...names(p.legal_status)])
  if (form) entry.legalForm = form
  const tags = [...names(p.categories), ...names(p.sectors)]
  if (tags.length) entry.tags = [...new Set(tags)]
  const geometry = isObject(feature.geometry) ? feature.geometry : undefined
  const coords = geometry && Array.isArray(geometry.coordinates) ? coordinates(geometry.coordinates[1], geometry.coordinates[0]) : coordinates(p.lat, p.lng)
  const country = isObject(p.country) ? countryCode(p.country.code) : countryCode(p.country)
  const address = [p.address, p.city, p.state, p.postal_code].map(v => text(v, 200)).filter(Boolean).join(', ')
  const locality = text(p.city, 200)
  if (coords || country || address || locality) {
    entry.location = { ...(address ? { address } : {}), ...(locality ? { locality } : {}), ...(country ? { country } : {}), ...(coords ?? {}) }
  }
  const languages = languageCodes(Array.isArray(p.languages) ? p.languages.map(l => isObject(l) ? l.culture_code : l) : [])
  if (languages.length) entry.languages = languages
  const reachable = contact(p.email, undefined)
  if (reachable) entry.contact = reachable
  const links: NonNullable<SourceEntry['links']> = []
  const code = httpUrl(p.code_url)
  if (code) links.push({ rel: 'source', href: code })
  for (const s of Array.isArray(p.socialnetworks) ? p.socialnetworks : []) {
    const href = httpUrl(isObject(s) ? s.url : s)
    if (href) links.push({ rel: 'social', href })
  }
  if (links.length) entry.links = links
  const updated = text(p.updated_at)
  if (updated && !Number.isNaN(Date.parse(updated))) entry.updatedAt = new Date(updated).toISOString()
  return entry
}

/** The Platform Cooperativism Consortium directory (directory.platform.coop `api/organizations/`). */
export const pccAdapter: SourceAdapter = {
  format: 'pcc',
  description: 'Platform Cooperativism Consortium directory API: GeoJSON api/organizations/',
  defaultName: 'directory.platform.coop',
  accept: () => 'application/geo+json, ' + ACCEPT_JSON,
  contentTypes: () => JSON_TYPES,

  parse (document: SourceDocument): ParsedDocument {
    const data = parseJson(document)
    const features = isObject(data) ? featuresOf(data) : null
    if (!isObject(data) || features === null) {
      throw new SourceFormatError(`${document.url} is not a GeoJSON FeatureCollection of organisations`)
    }
    const next = httpUrl(data.next)
    return { data: features, children: next ? [{ url: new URL(next, document.url).href, role: 'page', key: next }] : [] }
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    const result: MappingResult = { entries: [], rejected: [], unavailable: [] }
    const seen = new Set<string>()
    let node: DocumentNode | undefined = root
    while (node) {
      for (const [i, feature] of (node.data as Feature[]).entries()) {
        const mapped = mapFeature(feature, context)
        if (typeof mapped === 'string') result.rejected.push({ key: `${node.url}#${i}`, reason: mapped })
        else if (seen.has(mapped.sourceId)) result.rejected.push({ key: mapped.sourceId, reason: 'listed twice' })
        else { seen.add(mapped.sourceId); result.entries.push(mapped) }
      }
      const child: DocumentNode | FailedDocument | undefined = node.children[0]
      if (child && isFailed(child)) {
        // A later page failed: what it would have listed is unknown, so nothing may be marked gone.
        throw new SourceFormatError(`page ${child.url} of the directory failed: ${child.error}`)
      }
      node = child
    }
    return result
  }
}
