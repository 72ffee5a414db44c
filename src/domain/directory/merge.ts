import type { DirectoryEntry, DirectoryService, Provenance, SourceEntry, SourceKind } from './directory-entry'
import { websiteHref } from './canonical-url'
import { publishableEmail } from './publishable-contact'

/** A source record with the time its content was last retrieved. */
export interface MergeInput {
  entry: SourceEntry
  retrievedAt: string
}

const KIND_ORDER: Record<SourceKind, number> = { local: 0, federated: 1, imported: 2 }

/** Sorts records most trusted first: this hub's co-ops, then federated co-ops, then imports; ties by source and id. */
export function byPrecedence (a: MergeInput, b: MergeInput): number {
  return KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] ||
    a.entry.source.localeCompare(b.entry.source) ||
    a.entry.sourceId.localeCompare(b.entry.sourceId)
}

/** The rank of an entry's best source (0 local, 1 federated, 2 imported), used to order results. */
export function kindRank (entry: DirectoryEntry): number {
  return Math.min(...entry.provenance.map(p => KIND_ORDER[p.kind]))
}

/**
 * Merges every live record of one cloud into its entry. Each single field comes from the most
 * trusted record that has it (federated data wins over imported data); lists are united,
 * services come only from co-op records, and every record is kept as provenance.
 */
export function mergeSources (id: string, records: MergeInput[]): DirectoryEntry {
  if (records.length === 0) throw new Error('mergeSources needs at least one record')
  const ordered = [...records].sort(byPrecedence)
  const entries = ordered.map(r => r.entry)
  const pick = <T>(get: (e: SourceEntry) => T | undefined): T | undefined => {
    for (const e of entries) {
      const v = get(e)
      if (v !== undefined && v !== null && v !== '') return v
    }
    return undefined
  }
  const best = entries[0]
  const merged: DirectoryEntry = {
    id,
    url: websiteHref(best.website),
    name: best.name,
    kind: entries.some(e => e.kind !== 'imported') ? 'coop-cloud' : 'imported',
    status: best.status,
    local: entries.some(e => e.kind === 'local'),
    tags: unite(entries.map(e => e.tags ?? [])),
    languages: unite(entries.map(e => e.languages ?? [])),
    services: mergeServices(entries),
    links: uniteLinks(entries),
    provenance: ordered.map(provenanceOf) as DirectoryEntry['provenance'],
    updatedAt: ordered.map(r => r.entry.updatedAt ?? r.retrievedAt).sort().at(-1) as string
  }
  const summary = pick(e => e.summary)
  if (summary) merged.summary = summary
  const logo = pick(e => e.logo)
  if (logo) merged.logo = logo
  const legalForm = pick(e => e.legalForm)
  if (legalForm) merged.legalForm = legalForm
  const memberClasses = unite(entries.map(e => e.memberClasses ?? []))
  if (memberClasses.length) merged.memberClasses = memberClasses
  const location = mergeLocation(entries)
  if (location) merged.location = location
  const email = pick(e => publishableEmail(e.contact?.email, e.kind))
  const contactUrl = pick(e => e.contact?.url)
  if (email || contactUrl) merged.contact = { ...(email ? { email } : {}), ...(contactUrl ? { url: contactUrl } : {}) }
  const actor = pick(e => e.actor)
  if (actor) merged.actor = actor
  const unreachableSince = pick(e => e.unreachableSince)
  if (unreachableSince) merged.unreachableSince = unreachableSince
  return merged
}

function provenanceOf (record: MergeInput): Provenance {
  const p: Provenance = { source: record.entry.source, kind: record.entry.kind, sourceId: record.entry.sourceId, retrievedAt: record.retrievedAt }
  if (record.entry.url) p.url = record.entry.url
  if (record.entry.snapshot) p.snapshot = record.entry.snapshot
  return p
}

/** Lists joined in order, without repeats (compared case-insensitively). */
function unite (lists: string[][]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const value of lists.flat()) {
    const key = value.trim().toLowerCase()
    if (!key || seen.has(key)) continue
    seen.add(key)
    out.push(value.trim())
  }
  return out
}

function uniteLinks (entries: SourceEntry[]): DirectoryEntry['links'] {
  const seen = new Set<string>()
  const out: DirectoryEntry['links'] = []
  for (const link of entries.flatMap(e => e.links ?? [])) {
    const key = `${link.rel} ${link.href}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(link)
  }
  return out
}

/** Services of co-op records only (an import's idea of a cloud's services is not trusted), by id. */
function mergeServices (entries: SourceEntry[]): DirectoryService[] {
  const byId = new Map<string, DirectoryService>()
  for (const e of entries) {
    if (e.kind === 'imported') continue
    for (const s of e.services ?? []) if (!byId.has(s.id)) byId.set(s.id, s)
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

/** Address parts from the most trusted record that has each; coordinates only as a pair. */
function mergeLocation (entries: SourceEntry[]): DirectoryEntry['location'] | undefined {
  const location: NonNullable<DirectoryEntry['location']> = {}
  for (const key of ['address', 'locality', 'country'] as const) {
    const v = entries.map(e => e.location?.[key]).find(x => x)
    if (v) location[key] = v
  }
  const withPoint = entries.find(e => typeof e.location?.lat === 'number' && typeof e.location?.lon === 'number')
  if (withPoint?.location) {
    location.lat = withPoint.location.lat
    location.lon = withPoint.location.lon
  }
  return Object.keys(location).length ? location : undefined
}
