/** Coordinates, leniently: numbers, numeric strings, a decimal comma; never out of range. */

/** A number from a number or a numeric string (`,` accepted as decimal separator). */
export function number (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const t = value.trim().replace(',', '.')
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined
  return Number(t)
}

/** Latitude and longitude when both are numbers in range; otherwise neither (a shifted column is dropped). */
export function coordinates (lat: unknown, lon: unknown): { lat: number, lon: number } | undefined {
  const la = number(lat)
  const lo = number(lon)
  if (la === undefined || lo === undefined) return undefined
  if (la < -90 || la > 90 || lo < -180 || lo > 180) return undefined
  return { lat: la, lon: lo }
}

/** An ISO 3166-1 alpha-2 code, upper-cased, or undefined. */
export function countryCode (value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const t = value.trim().toUpperCase()
  return /^[A-Z]{2}$/.test(t) ? t : undefined
}

/** ISO 639-1 (or 639-2) codes from `en`, `en-GB`, `fr_FR` and the like. */
export function languageCodes (values: unknown[]): string[] {
  const codes = new Set<string>()
  for (const v of values) {
    if (typeof v !== 'string') continue
    const m = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec(v.trim())
    if (m) codes.add(m[1].toLowerCase())
  }
  return [...codes]
}
