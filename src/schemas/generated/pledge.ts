/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * once, or the amount again every month or year.
 */
export type Recurrence = 'once' | 'monthly' | 'yearly'
export type PledgeStatus = 'pledged' | 'fulfilled' | 'lapsed' | 'cancelled'

/**
 * A co-op's pledge to a funding pool: type ["vf:Agreement", "ioo:Pledge"]. Offered without id, attributedTo and pledgeStatus (FEP-0837 Offer); the steward's Accept carries the finalized Pledge with all three as its result.
 */
export interface Pledge {
  id?: string
  type: string[]
  /**
   * The pool's steward (only on the finalized Pledge).
   */
  attributedTo?: string
  /**
   * The FundingPool.
   */
  context: string
  /**
   * The pledging co-op.
   */
  pledger: string
  amount: MonetaryAmount
  recurrence: Recurrence
  pledgeStatus?: PledgeStatus
  stipulates?: Commitment[]
  summary?: string
  published?: string
  updated?: string
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
/**
 * The vf:Commitment to transfer the amount, satisfying the pool's Intent.
 */
export interface Commitment {
  id?: string
  type: 'vf:Commitment'
  action: 'transfer'
  provider: string
  receiver: string
  satisfies?: string
  finished?: boolean
}
