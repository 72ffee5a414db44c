/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/coops/:username/commitments: the co-op commits developer hours, money, or both to a shared project of an umbrella it belongs to.
 */
export interface CommitmentCreateRequest {
  /**
   * The project's id (an http(s) IRI).
   */
  project: string
  /**
   * Hours as a decimal string with at most two decimals, e.g. "12.5".
   */
  hours?: string
  amount?: Goal
  note?: string
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
