/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * A member co-op's commitment of developer hours and/or money to a shared project: type ["vf:Commitment", "ioo:ProjectCommitment"], sent to the umbrella in a Create. At least one of hours and amount is present (checked by the hub).
 */
export interface ProjectCommitment {
  id: string
  type: string[]
  /**
   * The committing co-op.
   */
  attributedTo: string
  /**
   * The committing co-op.
   */
  provider: string
  /**
   * The umbrella.
   */
  receiver: string
  /**
   * The shared project.
   */
  context: string
  /**
   * Hours as a decimal string with at most two decimals, e.g. "12.5".
   */
  hours?: string
  amount?: MonetaryAmount
  /**
   * The co-op's note.
   */
  content?: string
  published?: string
  to?: string | string[]
  cc?: string | string[]
}
/**
 * schema:MonetaryAmount: an ISO 4217 currency code and a decimal string. Whether the value is positive and has no more decimals than the currency allows is checked by the hub (src/domain/money.ts), which knows each currency's exponent.
 */
export interface MonetaryAmount {
  type?: 'MonetaryAmount'
  /**
   * ISO 4217 alphabetic code, in capitals.
   */
  currency: string
  /**
   * A decimal string: digits, optionally a point and up to 4 decimals; never a JSON number, a sign or an exponent.
   */
  value: string
}
