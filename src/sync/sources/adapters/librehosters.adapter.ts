/**
 * Libre Hosters network: `directory.json` maps member keys to the URL of each member's
 * `librehost.json` (librehost-api v0.0.1, schema.org-flavoured).
 */
import type { SourceEntry } from '../../../store/ports/directory.port'
import { contact } from '../mapping/contact'
import { languageCodes } from '../mapping/geo'
import { ACCEPT_JSON, isObject, JSON_TYPES, parseJson } from '../mapping/json'
import { list, text } from '../mapping/text'
import { httpUrl, logoUrl, website } from '../mapping/web'
import { SourceFormatError } from '../source-error'
import { DocumentNode, isFailed, MappingContext, MappingResult, ParsedDocument, SourceAdapter, SourceDocument } from '../source-adapter'

function legalForm (value: unknown): SourceEntry['legalForm'] | undefined {
  const t = text(value)?.toLowerCase()
  if (!t) return undefined
  if (/co-?op/.test(t)) return 'cooperative'
  if (/association|verein/.test(t)) return 'association'
  if (/informal|collective/.test(t)) return 'informal'
  if (/non-?profit|charity|foundation/.test(t)) return 'nonprofit'
  if (/company|business|gmbh|ltd|sarl|sas\b/.test(t)) return 'company'
  return 'other'
}

function mapMember (data: Record<string, unknown>, key: string, url: string, context: MappingContext): SourceEntry | string {
  const name = text(data.name, 300)
  if (!name) return 'it has no name'
  const site = website(data.homeUrl)
  if (!site) return 'it has no homeUrl'
  const entry: SourceEntry = {
    source: context.source,
    kind: 'imported',
    sourceId: key,
    website: site,
    name,
    status: 'active',
    tags: data.isServiceProvider === true ? ['hoster', 'libre-hosters'] : ['libre-hosters'],
    url
  }
  const summary = text(data.tagLine) ?? text(data.description)
  if (summary) entry.summary = summary
  const logo = logoUrl(data.logo)
  if (logo) entry.logo = logo
  const form = legalForm(data.organizationType)
  if (form) entry.legalForm = form
  const languages = languageCodes(Array.isArray(data.communicationLanguages) ? data.communicationLanguages : list(data.communicationLanguages))
  if (languages.length) entry.languages = languages
  const reachable = contact(undefined, data.contactUrl)
  if (reachable) entry.contact = reachable
  const links: NonNullable<SourceEntry['links']> = [{ rel: 'librehost', href: url }]
  const privacy = httpUrl(data.privacyPolicyUrl)
  if (privacy) links.push({ rel: 'privacy-policy', href: privacy })
  const terms = httpUrl(data.termsOfServiceUrl)
  if (terms) links.push({ rel: 'terms-of-service', href: terms })
  entry.links = links
  const modified = text(data.dateModified)
  if (modified && !Number.isNaN(Date.parse(modified))) entry.updatedAt = new Date(modified).toISOString()
  return entry
}

/** libreho.st `directory.json` → each member's `librehost.json`. */
export const librehostersAdapter: SourceAdapter = {
  format: 'librehosters',
  description: 'Libre Hosters network: directory.json (member key → librehost.json URL), then each librehost.json',
  defaultName: 'libreho.st',
  accept: () => ACCEPT_JSON,
  contentTypes: () => JSON_TYPES,

  parse (document: SourceDocument, role: string): ParsedDocument {
    const data = parseJson(document)
    if (!isObject(data)) throw new SourceFormatError(`${document.url} is not a JSON object`)
    if (role === 'member') return { data, children: [] }
    const children = Object.entries(data).flatMap(([key, value]) => {
      const url = httpUrl(value)
      return url ? [{ url: new URL(url, document.url).href, role: 'member', key }] : []
    })
    if (children.length === 0 && Object.keys(data).length > 0) {
      throw new SourceFormatError(`${document.url} is not a Libre Hosters directory: no member key maps to a URL`)
    }
    return { data, children }
  },

  map (root: DocumentNode, context: MappingContext): MappingResult {
    const result: MappingResult = { entries: [], rejected: [], unavailable: [] }
    for (const child of root.children) {
      if (isFailed(child)) {
        result.unavailable.push(child.key)
        result.rejected.push({ key: child.key, reason: child.error })
        continue
      }
      const mapped = mapMember(child.data as Record<string, unknown>, child.key, child.url, context)
      if (typeof mapped === 'string') result.rejected.push({ key: child.key, reason: mapped })
      else result.entries.push(mapped)
    }
    return result
  }
}
