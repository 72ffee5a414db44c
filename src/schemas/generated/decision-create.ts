/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * What the decision does when it passes.
 */
export type DecisionAction =
  | {
      /**
       * Admit or remove a member co-op, or approve a shared project (object: the project's id).
       */
      type: 'ioo:AdmitMember' | 'ioo:RemoveMember' | 'ioo:ApproveProject'
      object: string
    }
  | {
      /**
       * Allocate money a pool received to a shared project.
       */
      type: 'ioo:AllocateFunds'
      pool: string
      project: string
      amount: MonetaryAmount
    }

/**
 * Body of POST /api/v1/umbrellas/:username/decisions: opens a decision for the member co-ops. Options default to agree, abstain, disagree, block; an action needs those defaults.
 */
export interface DecisionCreateRequest {
  question: string
  /**
   * @minItems 2
   * @maxItems 20
   */
  options?:
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string, string, string]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string
      ]
  /**
   * When voting closes; must be in the future.
   */
  closesAt: string
  /**
   * majority: passes when agree > disagree; consensus: also needs no block.
   */
  rule: 'majority' | 'consensus'
  /**
   * Share of members who must vote for the outcome to count, 0 to 1 (default 0).
   */
  quorum?: number
  action?: DecisionAction
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
