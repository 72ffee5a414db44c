/** Text clean-up shared by the source adapters: sources are hand-edited and inconsistent. */

/** The trimmed text of a value that is a string or a number; undefined when empty or anything else. */
export function text (value: unknown, maxLength = 4000): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return undefined
  const trimmed = value.replace(/\s+/g, ' ').trim()
  if (!trimmed) return undefined
  return trimmed.length > maxLength ? trimmed.slice(0, maxLength - 1) + '…' : trimmed
}

/** Splits a `,` or `;` separated list (or takes an array), trimmed, lower-cased, de-duplicated, in order. */
export function list (value: unknown, maxItemLength = 100): string[] {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;]/) : []
  const seen = new Set<string>()
  for (const part of parts) {
    const t = text(part, maxItemLength)?.toLowerCase()
    if (t) seen.add(t)
  }
  return [...seen]
}

/** A lower-case ASCII slug (accents folded), for keys minted from names. */
export function slug (value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80)
}

/** Keeps `value` when it is one of `allowed`. */
export function oneOf<T extends string> (value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? value as T : undefined
}
