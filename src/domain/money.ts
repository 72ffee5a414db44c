/**
 * Money as the hub computes it: exact decimals held as integer minor units (bigint) per ISO 4217
 * currency, never binary floating point. The currency list and each currency's number of decimals
 * (its "exponent") come from the `currency-codes` package (ISO 4217 data, see its publishDate).
 */
import { code as currencyByCode } from 'currency-codes'

/** A `MonetaryAmount` as federated: ISO 4217 code and a decimal string ("1250.00"). */
export interface MonetaryAmount {
  type?: 'MonetaryAmount'
  currency: string
  value: string
}

/** An exact amount: integer minor units of one currency. */
export interface Money {
  currency: string
  minor: bigint
}

// ISO 4217 codes that are not money one can pledge: precious metals, bond-market units, the
// testing code, "no currency", and units whose number of decimals ISO gives as N.A.
const NOT_PLEDGEABLE = new Set(['XAG', 'XAU', 'XPD', 'XPT', 'XBA', 'XBB', 'XBC', 'XBD', 'XTS', 'XXX', 'XDR', 'XSU', 'XUA'])

const DECIMAL = /^(0|[1-9][0-9]{0,17})(\.([0-9]{1,4}))?$/

/** The number of decimals of an ISO 4217 currency, or null when it is not one the hub accepts. */
export function currencyExponent (currency: string): number | null {
  if (!/^[A-Z]{3}$/.test(currency) || NOT_PLEDGEABLE.has(currency)) return null
  const record = currencyByCode(currency)
  return record ? record.digits : null
}

/** Why `amount` is not a valid positive amount of its currency, or null when it is. */
export function amountProblem (amount: { currency?: unknown, value?: unknown }, { allowZero = false } = {}): string | null {
  const { currency, value } = amount
  if (typeof currency !== 'string') return 'the currency must be an ISO 4217 code such as EUR'
  const exponent = currencyExponent(currency)
  if (exponent === null) return `"${currency}" is not an ISO 4217 currency code the hub accepts (use capitals, e.g. EUR)`
  if (typeof value !== 'string') return 'the value must be a decimal string such as "12.50", not a number'
  const m = DECIMAL.exec(value)
  if (!m) return `"${value}" is not a plain decimal such as "12.50" (no sign, exponent or spaces)`
  const decimals = m[3]?.length ?? 0
  if (decimals > exponent) {
    return exponent === 0
      ? `${currency} has no decimals, so "${value}" cannot be paid`
      : `${currency} has ${exponent} decimals, so "${value}" is more precise than the currency allows`
  }
  if (!allowZero && toMinor(m[1], m[3] ?? '', exponent) === 0n) return 'the value must be greater than zero'
  return null
}

/** Parses a valid amount into minor units; throws a plain Error when `amountProblem` finds one. */
export function toMoney (amount: { currency?: unknown, value?: unknown }, options: { allowZero?: boolean } = {}): Money {
  const problem = amountProblem(amount, options)
  if (problem) throw new Error(problem)
  const currency = amount.currency as string
  const exponent = currencyExponent(currency) as number
  const m = DECIMAL.exec(amount.value as string) as RegExpExecArray
  return { currency, minor: toMinor(m[1], m[3] ?? '', exponent) }
}

/** Writes minor units back as a decimal string with exactly the currency's decimals ("12.50"). */
export function formatMoney (money: Money): MonetaryAmount {
  const exponent = currencyExponent(money.currency) ?? 0
  const negative = money.minor < 0n
  const digits = (negative ? -money.minor : money.minor).toString().padStart(exponent + 1, '0')
  const whole = exponent === 0 ? digits : digits.slice(0, digits.length - exponent)
  const value = exponent === 0 ? whole : `${whole}.${digits.slice(digits.length - exponent)}`
  return { type: 'MonetaryAmount', currency: money.currency, value: negative ? `-${value}` : value }
}

/** Sums amounts per currency, exactly; `always` lists currencies shown even at zero. */
export function totalsByCurrency (amounts: Money[], always: string[] = []): MonetaryAmount[] {
  const sums = new Map<string, bigint>()
  for (const c of always) sums.set(c, 0n)
  for (const a of amounts) sums.set(a.currency, (sums.get(a.currency) ?? 0n) + a.minor)
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => formatMoney({ currency, minor }))
}

/** Compares two amounts of the same currency (-1, 0, 1). */
export function compareMoney (a: Money, b: Money): number {
  if (a.currency !== b.currency) throw new Error(`cannot compare ${a.currency} with ${b.currency}`)
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0
}

function toMinor (whole: string, fraction: string, exponent: number): bigint {
  return BigInt(whole) * 10n ** BigInt(exponent) + BigInt((fraction + '0'.repeat(exponent)).slice(0, exponent) || '0')
}
