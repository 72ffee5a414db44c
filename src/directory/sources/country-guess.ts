/**
 * Best-effort country of a free-text location ("Hamburg, Germany", "Oakland, CA 94612"), for
 * imported directories that have no country field. Unknown or ambiguous text gives undefined.
 */

const US_STATES = [
  'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida',
  'Georgia', 'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine',
  'Maryland', 'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska',
  'Nevada', 'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota', 'Ohio',
  'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas',
  'Utah', 'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming', 'San Francisco', 'Oakland'
]
const US_STATE_CODES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY'
const CANADIAN_PROVINCES = ['British Columbia', 'Alberta', 'Saskatchewan', 'Manitoba', 'Ontario', 'Quebec', 'Québec', 'Nova Scotia', 'New Brunswick', 'Newfoundland', 'Toronto', 'Montreal', 'Montréal', 'Vancouver']

/** Other names people write for countries. */
const ALIASES: Array<[string, string]> = [
  ['USA', 'US'], ['U.S.A.', 'US'], ['United States of America', 'US'], ['UK', 'GB'], ['England', 'GB'],
  ['Scotland', 'GB'], ['Wales', 'GB'], ['Northern Ireland', 'GB'], ['London', 'GB'], ['Brasil', 'BR'],
  ['Italia', 'IT'], ['Espanya', 'ES'], ['España', 'ES'], ['Barcelona', 'ES'], ['Madrid', 'ES'], ['Holland', 'NL'],
  ['Amsterdam', 'NL'], ['Republic of Korea', 'KR'], ['Deutschland', 'DE'], ['Berlin', 'DE'], ['Paris', 'FR'],
  ['Brussels', 'BE'], ['Bruxelles', 'BE'], ['Kyiv', 'UA']
]

/** Region codes Intl knows that are not countries. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB'])

let names: Array<[RegExp, string]> | null = null

/** Every country name (English, from Intl) and alias, longest first so "New Mexico" beats "Mexico". */
function countryNames (): Array<[RegExp, string]> {
  if (names) return names
  const display = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' })
  const list: Array<[string, string]> = [...ALIASES]
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b)
      // Old codes (DD, UK, FX …) canonicalise to today's; only today's are kept.
      const current = Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`
      const name = NOT_COUNTRIES.has(code) || !current ? undefined : display.of(code)
      if (name && name !== code) list.push([name, code])
    }
  }
  for (const state of US_STATES) list.push([state, 'US'])
  for (const province of CANADIAN_PROVINCES) list.push([province, 'CA'])
  list.sort((x, y) => y[0].length - x[0].length)
  names = list.map(([name, code]) => [new RegExp(`(^|[^\\p{L}])${escapeRegExp(name)}($|[^\\p{L}])`, 'iu'), code])
  return names
}

function escapeRegExp (s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The ISO 3166-1 alpha-2 code a location text names, if it clearly names one. */
export function guessCountry (location: string | undefined): string | undefined {
  if (!location?.trim()) return undefined
  const text = location.replace(/\u200b/g, '')
  // "Oakland, CA 94612": a US state code followed by a ZIP code.
  if (new RegExp(`\\b(${US_STATE_CODES})\\s+\\d{5}(-\\d{4})?\\b`).test(text)) return 'US'
  for (const [pattern, code] of countryNames()) {
    if (pattern.test(text)) return code
  }
  return undefined
}
