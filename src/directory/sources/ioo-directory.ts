/**
 * The Internet of Ownership directory (ioo.coop/directory) as source records: one row of its
 * spreadsheet (as JSON, keyed by column header) becomes one `SourceEntry`. Field mapping from
 * the research note on directories; personal e-mail addresses are not even kept. This is the
 * only IoO mapping: file imports (`import-file.ts`) and the scheduled `ioo-csv`/`ioo-json`
 * sources (`src/sync/sources/adapters/ioo.mapping.ts`) both call `mapIooRows`. Cell clean-up
 * uses the helpers every source adapter shares (`src/sync/sources/mapping/`).
 */
import type { DirectoryEntry, SourceEntry } from '../../store/ports/directory.port'
import { number } from '../../sync/sources/mapping/geo'
import { list, text } from '../../sync/sources/mapping/text'
import { httpUrl, logoUrl } from '../../sync/sources/mapping/web'
import { slugOf } from '../../domain/directory/facets'
import { guessCountry } from './country-guess'

/** The source name every IoO record carries, as the successor directory (PCC) named it too. */
export const IOO_SOURCE = 'ioo.coop/directory'
const IOO_URL = 'https://ioo.coop/directory/'

/** One spreadsheet row: column header → cell (strings, numbers for coordinates). */
export type IooRow = Record<string, unknown>

const STATUS: Record<string, DirectoryEntry['status']> = {
  open: 'active', 'in development': 'planned', concept: 'planned', dormant: 'paused', closed: 'closed'
}
const LEGAL_FORM: Record<string, NonNullable<DirectoryEntry['legalForm']>> = {
  cooperative: 'cooperative', company: 'company', organization: 'nonprofit', resource: 'other', individual: 'other'
}

/** The Awesome Table configuration row ("MapsTooltip - stringFilter - Hidden") is not an entry. */
export function isConfigurationRow (row: IooRow): boolean {
  return /\bHidden\b/.test(text(row.Name) ?? '') || /\bHidden\b/.test(text(row.Latitude) ?? '')
}

/** The rows of one snapshot as records, and the rows refused with why. */
export interface IooMapping {
  entries: SourceEntry[]
  rejected: Array<{ key: string, reason: string }>
}

/**
 * Maps the rows of one snapshot. The configuration row is skipped; a row without a name, or a
 * second row with the same name (the same record id), is refused and said why.
 */
export function mapIooRows (rows: IooRow[], snapshot?: string): IooMapping {
  const result: IooMapping = { entries: [], rejected: [] }
  const seen = new Set<string>()
  rows.forEach((row, index) => {
    if (isConfigurationRow(row)) return
    const entry = iooEntry(row, snapshot)
    if (!entry) {
      result.rejected.push({ key: `row ${index + 1}`, reason: 'it has no Name' })
    } else if (seen.has(entry.sourceId)) {
      result.rejected.push({ key: entry.sourceId, reason: `a second row is named "${entry.name}"` })
    } else {
      seen.add(entry.sourceId)
      result.entries.push(entry)
    }
  })
  return result
}

/** The records of one snapshot (`mapIooRows` without the refusals). */
export function iooEntries (rows: IooRow[], snapshot?: string): SourceEntry[] {
  return mapIooRows(rows, snapshot).entries
}

/** One row as a source record, or null when it has no name. */
export function iooEntry (row: IooRow, snapshot?: string): SourceEntry | null {
  const name = cell(row.Name)
  if (!name) return null
  const key = slugOf(name) || name
  const entry: SourceEntry = {
    source: IOO_SOURCE,
    kind: 'imported',
    sourceId: key,
    website: cell(row.Website) ?? `urn:ioo:${key}`,
    name,
    status: STATUS[(cell(row.Status) ?? '').toLowerCase()] ?? 'active',
    tags: [...new Set([...list(cell(row.Activities)), ...list(cell(row.Category))])],
    url: IOO_URL
  }
  if (snapshot) entry.snapshot = snapshot
  const summary = cell(row.Description)
  if (summary) entry.summary = summary
  const legalForm = LEGAL_FORM[(cell(row.Type) ?? '').toLowerCase()]
  if (legalForm) entry.legalForm = legalForm
  const classes = [...new Set(list(cell(row.Classes)).map(c => c === 'users' ? 'user' : c))]
  if (classes.length) entry.memberClasses = classes
  const logo = logoUrl(cell(row.Logo))
  if (logo) entry.logo = logo
  const location = locationOf(row)
  if (location) entry.location = location
  const repo = httpUrl(cell(row['Open  Repo']))
  if (repo) entry.links = [{ rel: 'source', href: repo }]
  return entry
}

function locationOf (row: IooRow): SourceEntry['location'] {
  const location: NonNullable<SourceEntry['location']> = {}
  const address = cell(row.Location)
  if (address) location.address = address
  const country = guessCountry(address)
  if (country) location.country = country
  const lat = coordinate(row.Latitude, 90)
  const lon = coordinate(row.Longitude, 180)
  if (lat !== undefined && lon !== undefined) {
    location.lat = lat
    location.lon = lon
  }
  return Object.keys(location).length ? location : undefined
}

/** A number within ±limit, from a number or a string with a dot or a decimal comma; else undefined. */
export function coordinate (value: unknown, limit: number): number | undefined {
  const n = number(value)
  return n !== undefined && Math.abs(n) <= limit ? n : undefined
}

/** A cell's text: the sheet has zero-width spaces pasted into some cells. */
function cell (value: unknown): string | undefined {
  return text(typeof value === 'string' ? value.replace(/\u200b/g, '') : value)
}
