/**
 * A local co-op as a Murmurations organisation profile (`organizations_schema-v1.0.0`), so it
 * shows in existing aggregators. Agreements and pools become `relationships`.
 */
import { HUB_NAMESPACE } from '../../federation/jsonld/hub-context'
import type { DirectoryEntry } from '../../store/ports/directory.port'
import type { FundingPool, MemberExchangeAgreement } from '../network-data'
import { slugOf } from '../../domain/directory/facets'
import { KNOWN_CATEGORIES } from '../../domain/directory/categories'

export const MURMURATIONS_SCHEMA = 'organizations_schema-v1.0.0'

/** Predicates the hub defines for the relationships it publishes. */
export const RELATIONSHIP_PREDICATES = {
  agreement: `${HUB_NAMESPACE}memberExchangeAgreementWith`,
  stewardsPool: `${HUB_NAMESPACE}stewardsFundingPool`
} as const

const STATUS: Record<DirectoryEntry['status'], string> = { active: 'active', planned: 'in_planning', paused: 'on_hold', closed: 'completed' }

/** What a profile is built from. */
export interface MurmurationsInput {
  entry: DirectoryEntry
  /** The co-op's HTML page. */
  pageUrl: string
  agreements: MemberExchangeAgreement[]
  pools: FundingPool[]
}

/** The profile document; `entry.actor` identifies the co-op among agreement parties. */
export function buildMurmurationsProfile ({ entry, pageUrl, agreements, pools }: MurmurationsInput): Record<string, unknown> {
  const http = (u: string | undefined): u is string => typeof u === 'string' && /^https?:\/\//.test(u) && u.length <= 2000
  const profile: Record<string, unknown> = {
    linked_schemas: [MURMURATIONS_SCHEMA],
    name: entry.name
  }
  if (http(entry.url)) profile.primary_url = entry.url
  const categories = entry.services.map(s => s.category).concat(entry.tags.map(slugOf).filter(t => KNOWN_CATEGORIES.includes(t)))
  const tags = [...new Set(['co-op cloud', ...entry.tags, ...categories].map(t => t.trim().slice(0, 100)).filter(Boolean))].slice(0, 100)
  profile.tags = tags
  const urls = [
    { name: 'Directory page', url: pageUrl },
    ...(entry.actor ? [{ name: 'ActivityPub actor', url: entry.actor }] : []),
    ...entry.services.map(s => ({ name: s.name, url: s.url }))
  ].filter(u => http(u.url))
  profile.urls = dedupe(urls, u => `${u.name} ${u.url}`)
  if (entry.summary) profile.description = entry.summary
  profile.status = STATUS[entry.status]
  if (entry.location?.address) profile.full_address = entry.location.address
  if (entry.location?.country && isAssignedCountry(entry.location.country)) profile.country_iso_3166 = entry.location.country
  if (typeof entry.location?.lat === 'number' && typeof entry.location?.lon === 'number') {
    profile.geolocation = { lat: entry.location.lat, lon: entry.location.lon }
  }
  if (http(entry.logo)) profile.image = entry.logo
  const relationships: Array<{ predicate_url: string, object_url: string }> = []
  for (const agreement of agreements) {
    if (agreement.agreementStatus !== 'active' || !entry.actor || !agreement.parties.includes(entry.actor)) continue
    for (const party of agreement.parties) {
      if (party !== entry.actor && http(party)) relationships.push({ predicate_url: RELATIONSHIP_PREDICATES.agreement, object_url: party })
    }
  }
  for (const pool of pools) {
    const url = http(pool.url) ? pool.url : pool.id
    if (http(url)) relationships.push({ predicate_url: RELATIONSHIP_PREDICATES.stewardsPool, object_url: url })
  }
  if (relationships.length) profile.relationships = dedupe(relationships, r => `${r.predicate_url} ${r.object_url}`)
  const contact: Record<string, string> = {}
  if (entry.contact?.email) contact.email = entry.contact.email
  if (http(entry.contact?.url)) contact.contact_form = entry.contact.url
  if (Object.keys(contact).length) profile.contact_details = contact
  return profile
}

function dedupe<T> (items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>()
  return items.filter(item => {
    const k = key(item)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** ISO 3166-1 assigned codes only (Murmurations lists them): user-assigned X* and EU-style codes are left out. */
function isAssignedCountry (code: string): boolean {
  if (/^(X[A-Z]|EU|EZ|UN|QO|ZZ|AA|Q[M-Z])$/.test(code)) return false
  return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code) !== undefined
}
