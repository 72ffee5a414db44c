/**
 * The Internet of Ownership directory (ioo.coop/directory) as source records: one row of its
 * spreadsheet (as JSON, keyed by column header) becomes one `SourceEntry`. Field mapping from
 * the research note on directories; personal e-mail addresses are not even kept.
 */
import type { DirectoryEntry, SourceEntry } from '../../store/ports/directory.port'
import { slugOf } from '../facets'
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

/** Maps the rows of one snapshot; rows without a name and the configuration row are skipped. */
export function iooEntries (rows: IooRow[], snapshot?: string): SourceEntry[] {
  const out: SourceEntry[] = []
  for (const row of rows) {
    if (isConfigurationRow(row)) continue
    const entry = iooEntry(row, snapshot)
    if (entry) out.push(entry)
  }
  return out
}

/** One row as a source record, or null when it has no name. */
export function iooEntry (row: IooRow, snapshot?: string): SourceEntry | null {
  const name = text(row.Name)
  if (!name) return null
  const key = slugOf(name) || name
  const entry: SourceEntry = {
    source: IOO_SOURCE,
    kind: 'imported',
    sourceId: key,
    website: text(row.Website) ?? `urn:ioo:${key}`,
    name,
    status: STATUS[(text(row.Status) ?? '').toLowerCase()] ?? 'active',
    tags: unique([...list(row.Activities), ...list(row.Category)]),
    url: IOO_URL
  }
  if (snapshot) entry.snapshot = snapshot
  const summary = text(row.Description)
  if (summary) entry.summary = summary
  const legalForm = LEGAL_FORM[(text(row.Type) ?? '').toLowerCase()]
  if (legalForm) entry.legalForm = legalForm
  const classes = unique(list(row.Classes).map(c => c === 'users' ? 'user' : c))
  if (classes.length) entry.memberClasses = classes
  const logo = httpUrl(row.Logo)
  if (logo && !/google\.[a-z.]+\/(search|imgres)/i.test(logo)) entry.logo = logo
  const location = locationOf(row)
  if (location) entry.location = location
  const repo = httpUrl(row['Open  Repo'])
  if (repo) entry.links = [{ rel: 'source', href: repo }]
  return entry
}

function locationOf (row: IooRow): SourceEntry['location'] {
  const location: NonNullable<SourceEntry['location']> = {}
  const address = text(row.Location)
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
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(value) ? Number(value.replace(',', '.')) : NaN
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : undefined
}

function text (value: unknown): string | undefined {
  if (typeof value === 'number') return String(value)
  if (typeof value !== 'string') return undefined
  const t = value.replace(/\u200b/g, '').trim()
  return t || undefined
}

/** A comma- or semicolon-separated cell as trimmed, lower-case items. */
function list (value: unknown): string[] {
  return (text(value) ?? '').split(/[,;]/).map(s => s.trim().toLowerCase()).filter(Boolean)
}

function unique (values: string[]): string[] {
  return [...new Set(values)]
}

/** An http(s) URL in normal form, or undefined (data: URIs and non-URLs are dropped). */
function httpUrl (value: unknown): string | undefined {
  const raw = text(value)
  if (!raw) return undefined
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}
