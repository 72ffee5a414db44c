/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * How often the goal recurs.
 */
export type Period = 'once' | 'monthly' | 'yearly'
/**
 * open: takes pledges; funded: pledges cover the goal (still takes pledges); closed; cancelled.
 */
export type PoolStatus = 'open' | 'funded' | 'closed' | 'cancelled'
/**
 * automatic: valid pledges are accepted at once; approval: they wait for the steward.
 */
export type PledgePolicy = 'automatic' | 'approval'
/**
 * One MonetaryAmount per currency (@set in the context, so always a list).
 */
export type Totals = MonetaryAmount[]

/**
 * A shared development funding pool, as federated: type ["Page", "ioo:FundingPool", "vf:Proposal"], compacted against the hub context. Unknown extra properties are kept.
 */
export interface FundingPool {
  id: string
  /**
   * Always holds "Page" (so Mastodon shows it), "ioo:FundingPool" and "vf:Proposal".
   */
  type: string[]
  /**
   * The steward: the actor that opened the pool and receives the pledges.
   */
  attributedTo: string
  name: string
  summary: string
  url: string
  beneficiary: Beneficiary
  goal: MonetaryAmount
  period: Period
  /**
   * The deadline for pledges.
   */
  endTime?: string
  poolStatus: PoolStatus
  pledgePolicy?: PledgePolicy
  pledged: Totals
  received: Totals
  /**
   * The collection of accepted pledges.
   */
  pledges?: string
  /**
   * FEP-0837: the pool requests a transfer.
   */
  purpose?: 'request'
  /**
   * FEP-0837 Intent that pledges satisfy.
   */
  publishes?: {
    id: string
    type: 'vf:Intent'
    action: 'transfer'
  }
  /**
   * Payment links; one link arrives as an object, several as a list.
   */
  attachment?: PaymentLink | PaymentLink[]
  published?: string
  updated?: string
  to?: string | string[]
  cc?: string | string[]
}
/**
 * The upstream project the money is for (ioo:beneficiary).
 */
export interface Beneficiary {
  name: string
  url: string
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
 * An FEP-0ea0 payment link: where to send the money.
 */
export interface PaymentLink {
  type?: 'Link'
  name?: string
  href: string
  rel?: string | string[]
  mediaType?: string
}
