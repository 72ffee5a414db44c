/**
 * A directory entry in its ActivityStreams form (VOCABULARY.md: `["Page", "ioo:DirectoryEntry"]`),
 * for peers that read ActivityPub rather than the hub's JSON API. Built from the API form; the
 * schema is `schemas/objects/directory-entry-as2.schema.json`.
 */
import type { DirectoryEntryAs2 } from '../../schemas/generated/directory-entry-as2'
import type { DirectoryEntry } from '../../store/ports/directory.port'
import { hubContextTerms } from '../../federation/jsonld/hub-context'
import { DIRECTORY_PATHS } from './feed-paths'

export type { DirectoryEntryAs2 }

const AS2_CONTEXT = 'https://www.w3.org/ns/activitystreams'

/** The IRI of an entry: its API URL, which serves this form to `Accept: application/activity+json`. */
export function directoryEntryIri (hubUrl: string, entryId: string): string {
  return `${hubUrl}/api/v1/directory/${entryId}`
}

/** The entry as an AS2 `Page`, with the hub's context inline like every document the hub sends. */
export function directoryEntryAs2 (entry: DirectoryEntry, hubUrl: string): DirectoryEntryAs2 & { '@context': unknown[] } {
  const page = `${hubUrl}${DIRECTORY_PATHS.entry.replace(':id', entry.id)}`
  const doc: DirectoryEntryAs2 & { '@context': unknown[] } = {
    '@context': [AS2_CONTEXT, hubContextTerms()],
    id: directoryEntryIri(hubUrl, entry.id),
    type: ['Page', 'ioo:DirectoryEntry'],
    name: entry.name,
    // A Page needs a summary to be shown; an entry without one says where it is from.
    summary: entry.summary?.trim() || `${entry.name}: listed in the directory of participating clouds (from ${entry.provenance[0].source})`,
    url: /^https?:\/\//.test(entry.url) ? entry.url : page,
    entryStatus: entry.status,
    'ioo:source': entry.provenance.map(p => {
      const source: DirectoryEntryAs2['ioo:source'][number] = { name: p.source, sourceKind: p.kind, identifier: p.sourceId, retrievedAt: p.retrievedAt }
      if (p.url) source.url = p.url
      if (p.snapshot) source.snapshot = p.snapshot
      return source
    }) as DirectoryEntryAs2['ioo:source'],
    updated: entry.updatedAt
  }
  if (entry.logo) doc.icon = { type: 'Image', url: entry.logo }
  const place = placeOf(entry.location)
  if (place) doc.location = place
  const tags = entry.tags.map(t => t.trim().replace(/\s+/g, '-')).filter(Boolean)
  if (tags.length) doc.tag = tags.map(t => ({ type: 'Hashtag' as const, name: `#${t}` }))
  if (entry.actor) doc.about = entry.actor
  if (entry.languages.length) doc.knowsLanguage = [...entry.languages]
  return doc
}

function placeOf (location: DirectoryEntry['location']): DirectoryEntryAs2['location'] | undefined {
  if (!location) return undefined
  const place: NonNullable<DirectoryEntryAs2['location']> = { type: 'Place' }
  const name = location.address ?? location.locality
  if (name) place.name = name
  if (location.country) place.addressCountry = location.country
  if (location.lat !== undefined && location.lon !== undefined) {
    place.latitude = location.lat
    place.longitude = location.lon
  }
  return Object.keys(place).length > 1 ? place : undefined
}
