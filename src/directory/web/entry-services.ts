/**
 * The services an entry's page lists: those its co-op publishes (local or federated, as merged)
 * and those imported directories list for the same cloud, each with the sources that list it.
 * The merged entry keeps imported services out of search and facets (an import's word is not
 * trusted there); the page still shows them, saying where they came from.
 */
import type { DirectoryEntry, DirectoryService, SourceEntry, SourceKind } from '../../store/ports/directory.port'

/** One row of the services table and who lists it. */
export interface ServiceRow {
  service: DirectoryService
  sources: Array<{ source: string, kind: SourceKind }>
}

/**
 * Rows for every service of `entry` and of its imported `records` (most trusted first). A
 * service several sources list (the same address) is one row, shown as the most trusted
 * source gives it, naming every source.
 */
export function entryServiceRows (entry: DirectoryEntry, records: SourceEntry[]): ServiceRow[] {
  const rows: ServiceRow[] = []
  const byAddress = new Map<string, ServiceRow>()
  const add = (service: DirectoryService, from: { source: string, kind: SourceKind }): void => {
    const key = addressKey(service.url)
    const known = byAddress.get(key)
    if (known) {
      if (!known.sources.some(s => s.source === from.source)) known.sources.push(from)
      return
    }
    const row = { service, sources: [from] }
    byAddress.set(key, row)
    rows.push(row)
  }
  // Co-op records' services are merged by id (the most trusted record's wins); imports' are not merged.
  const seenIds = new Set<string>()
  for (const record of records) {
    for (const service of record.services ?? []) {
      if (record.kind !== 'imported') {
        if (seenIds.has(service.id)) continue
        seenIds.add(service.id)
      }
      add(service, { source: record.source, kind: record.kind })
    }
  }
  // A merged service whose record was not passed (e.g. no records read) still gets its row.
  for (const service of entry.services) {
    if (!byAddress.has(addressKey(service.url))) add(service, { source: entry.provenance[0].source, kind: entry.provenance[0].kind })
  }
  const rank: Record<SourceKind, number> = { local: 0, federated: 1, imported: 2 }
  return rows.sort((a, b) => rank[a.sources[0].kind] - rank[b.sources[0].kind] || a.service.name.localeCompare(b.service.name))
}

/** Addresses compared without scheme case, a trailing slash or `www.`. */
function addressKey (url: string): string {
  return url.trim().toLowerCase().replace(/^https?:\/\/(www\.)?/, '').replace(/\/+$/, '')
}
