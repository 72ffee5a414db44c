/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

export type MilestoneStatus = 'planned' | 'active' | 'done'
/**
 * Hours as a decimal string with at most two decimals, e.g. "12.5".
 */
export type Hours = string

/**
 * An umbrella's shared project, as federated: type ["Page", "vf:Plan", "ioo:SharedProject"] (Mastodon shows a Page), with milestones, the pools that fund it and the committed totals. Unknown extra properties are kept.
 */
export interface SharedProject {
  id: string
  type: string[]
  /**
   * The umbrella.
   */
  attributedTo: string
  context?: string
  name: string
  summary: string
  url: string
  upstream?: Upstream
  /**
   * @maxItems 50
   */
  milestones: Milestone[]
  fundedBy?: string[]
  committedHours: Hours
  /**
   * Committed money, one amount per currency.
   */
  committed: MonetaryAmount[]
  /**
   * Money allocated to it from pools by decision, one amount per currency.
   */
  allocated?: MonetaryAmount[]
  approved?: boolean
  commitments?: string
  published?: string
  updated?: string
  to?: string | string[]
  cc?: string | string[]
}
/**
 * The upstream software project the work goes to.
 */
export interface Upstream {
  name: string
  url: string
}
export interface Milestone {
  type: 'ioo:Milestone'
  name: string
  /**
   * When it is due.
   */
  endTime?: string
  milestoneStatus: MilestoneStatus
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
