/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/coops/:username/pledges: the co-op offers a pledge to a pool on any hub. The pool's steward checks it against the pool and accepts or rejects it.
 */
export interface PledgeCreateRequest {
  /**
   * The pool's id (an http(s) IRI).
   */
  pool: string
  amount: Goal
  /**
   * once, or the amount again every month or year.
   */
  recurrence?: 'once' | 'monthly' | 'yearly'
}
/**
 * The amount sought: value as a decimal string with no more decimals than the currency has.
 */
export interface Goal {
  /**
   * A decimal string: digits, optionally a point and up to 4 decimals; never a JSON number, a sign or an exponent.
   */
  value: string
  /**
   * ISO 4217 alphabetic code, in capitals.
   */
  currency: string
}
