/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

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
