/**
 * What templates call to turn data into words: labels of facet values, country and language
 * names, dates, money and links, all in the page's language.
 */
import { softwareDisplayName } from '../../domain/directory/software-names'
import type { DirectoryEntry, FacetCount, FacetName } from '../../store/ports/directory.port'
import { FACETS } from '../../store/ports/directory.port'
import { DEFAULT_LIMIT, SearchRequest } from '../search-request'
import { format, Messages, plural } from './messages'

/** One option of a filter's select box. */
export interface FacetOption {
  value: string
  label: string
  count: number
  selected: boolean
}

/** One filter of the search form. */
export interface FacetView {
  name: FacetName
  label: string
  options: FacetOption[]
}

/** Helpers bound to one language. */
export class ViewHelpers {
  private readonly regions: Intl.DisplayNames
  private readonly languages: Intl.DisplayNames
  private readonly dates: Intl.DateTimeFormat

  constructor (readonly m: Messages) {
    this.regions = new Intl.DisplayNames([m.lang], { type: 'region', fallback: 'code' })
    this.languages = new Intl.DisplayNames([m.lang], { type: 'language', fallback: 'code' })
    this.dates = new Intl.DateTimeFormat(m.lang, { dateStyle: 'medium', timeZone: 'UTC' })
  }

  /** `{name}` placeholders filled in. */
  format (template: string, values: Record<string, string | number> = {}): string {
    return format(template, values)
  }

  /** The zero / one / other form of a counted message. */
  plural (forms: { zero: string, one: string, other: string }, count: number): string {
    return plural(forms, count)
  }

  /** A facet value as people read it. */
  label (facet: FacetName, value: string): string {
    const v = this.m.values
    switch (facet) {
      case 'category': return v.category[value] ?? value.replace(/-/g, ' ')
      case 'country': return this.country(value)
      case 'language': return this.language(value)
      case 'access': return v.access[value as keyof typeof v.access] ?? value
      case 'accepting': return v.accepting[value as keyof typeof v.accepting] ?? value
      case 'status': return v.status[value as keyof typeof v.status] ?? value
      case 'kind': return v.kind[value as keyof typeof v.kind] ?? value
      case 'software': return softwareDisplayName(value)
      default: return value
    }
  }

  country (code: string): string {
    return this.regions.of(code) ?? code
  }

  language (code: string): string {
    try {
      return this.languages.of(code) ?? code
    } catch {
      return code
    }
  }

  /** A date (or date-time) as a medium date, e.g. 26 Nov 2026. */
  date (iso: string | undefined): string {
    if (!iso || Number.isNaN(Date.parse(iso))) return ''
    return this.dates.format(new Date(iso))
  }

  /** A decimal amount in its currency, exactly (the decimal string is formatted, not a float). */
  money (value: string, currency: string): string {
    try {
      return new Intl.NumberFormat(this.m.lang, { style: 'currency', currency }).format(value as unknown as number)
    } catch {
      return `${value} ${currency}`
    }
  }

  /** The page of an entry: a local co-op's own URL (its actor), others under /directory/. */
  entryHref (entry: DirectoryEntry): string {
    if (entry.local && entry.actor) return new URL(entry.actor).pathname
    return `/directory/${entry.id}`
  }

  /** The search form's filters with counts; a chosen value stays listed even when it matches nothing. */
  facetViews (facets: Record<FacetName, FacetCount[]>, request: SearchRequest): FacetView[] {
    return FACETS.map(name => {
      const counts = [...facets[name]]
      const chosen = request.filters[name]
      if (chosen && !counts.some(c => c.value === chosen)) counts.push({ value: chosen, count: 0 })
      const options = counts.map(c => ({ value: c.value, label: this.label(name, c.value), count: c.count, selected: c.value === chosen }))
      options.sort((a, b) => (name === 'status' || name === 'kind' || name === 'accepting') ? b.count - a.count : a.label.localeCompare(b.label, this.m.lang))
      return { name, label: this.m.facets[name], options }
    })
  }

  /** A search URL with one parameter changed (or removed with undefined), the cursor dropped. */
  searchHref (request: SearchRequest, change: Record<string, string | undefined>): string {
    const params = new URLSearchParams()
    if (request.q) params.set('q', request.q)
    for (const f of FACETS) if (request.filters[f]) params.set(f, request.filters[f] as string)
    if (request.sort !== 'relevance') params.set('sort', request.sort)
    if (request.limit !== DEFAULT_LIMIT) params.set('limit', String(request.limit))
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) params.delete(k)
      else params.set(k, v)
    }
    const qs = params.toString()
    return qs ? `/?${qs}` : '/'
  }
}
