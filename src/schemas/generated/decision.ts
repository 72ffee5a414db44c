/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

export type Iri = string
/**
 * majority: passes when agree > disagree; consensus: also needs no block.
 */
export type Rule = 'majority' | 'consensus'
/**
 * Share of members who must vote, 0 to 1, as a decimal string.
 */
export type Quorum = string
export type DecisionStatus = 'open' | 'passed' | 'failed' | 'no-quorum'
/**
 * What the decision does when it passes.
 */
export type DecisionAction =
  | {
      /**
       * Admit or remove a member co-op, or approve a shared project (object: the project's id).
       */
      type: 'ioo:AdmitMember' | 'ioo:RemoveMember' | 'ioo:ApproveProject'
      object: Iri
    }
  | {
      /**
       * Allocate money a pool received to a shared project.
       */
      type: 'ioo:AllocateFunds'
      pool: Iri
      project: Iri
      amount: MonetaryAmount
    }

/**
 * An umbrella's decision, as federated: an ActivityStreams Question (a poll Mastodon can show: oneOf, endTime, votersCount, closed) with type ["Question", "ioo:Decision"], compacted against the hub context. Unknown extra properties are kept.
 */
export interface Decision {
  id: Iri
  type: string[]
  /**
   * The umbrella.
   */
  attributedTo: string
  context?: Iri
  /**
   * The question.
   */
  name: string
  content?: string
  /**
   * @minItems 2
   * @maxItems 20
   */
  oneOf:
    | [Option, Option]
    | [Option, Option, Option]
    | [Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option]
    | [Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option, Option]
    | [
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option
      ]
    | [
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option
      ]
    | [
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option
      ]
    | [
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option
      ]
    | [
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option
      ]
    | [
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option,
        Option
      ]
  /**
   * When voting closes.
   */
  endTime: string
  /**
   * When the decision closed.
   */
  closed?: string
  votersCount: number
  rule: Rule
  quorum: Quorum
  decisionStatus: DecisionStatus
  decisionAction?: DecisionAction
  published?: string
  updated?: string
  to?: string | string[]
  cc?: string | string[]
}
/**
 * One answer of the poll, with its vote count in replies.totalItems (Mastodon's shape).
 */
export interface Option {
  type: 'Note'
  name: string
  replies: {
    type?: 'Collection'
    totalItems: number
  }
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
