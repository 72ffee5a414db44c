/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Commitments of the parties other than this version's author.
 *
 * @maxItems 500
 */
export type Commitments = Commitment[]
/**
 * Commitments of this version's author.
 *
 * @maxItems 500
 */
export type Commitments1 = Commitment[]
export type AgreementStatus = 'proposed' | 'active' | 'rejected' | 'terminated' | 'expired'

/**
 * One version of an agreement that each party's members may use the HostedServices the others open to them: type ["vf:Agreement", "ioo:MemberExchangeAgreement"]. The first version is the agreement's id; each amendment or termination is a new version by the party that made it, with `context` the first version and `supersedes` the version it replaces. Unknown extra properties are kept.
 */
export interface MemberExchangeAgreement {
  id: string
  type: string[]
  /**
   * The party that wrote this version.
   */
  attributedTo: string
  /**
   * The agreement (its first version), on every later version.
   */
  context?: string
  /**
   * The version this one replaces.
   */
  supersedes?: string
  name: string
  summary?: string
  /**
   * The terms, for people.
   */
  content: string
  /**
   * Every party's actor id (@set: always a list).
   *
   * @minItems 2
   * @maxItems 50
   */
  parties: string[]
  stipulates?: Commitments
  stipulatesReciprocal?: Commitments1
  startTime: string
  /**
   * When it ends; on a termination, when the termination takes effect.
   */
  endTime?: string
  agreementStatus: AgreementStatus
  url?: string
  published?: string
  updated?: string
  to?: string | string[]
  cc?: string | string[]
}
/**
 * A party's vf:Commitment to serve another party's members with one HostedService, with an optional quota (members).
 */
export interface Commitment {
  id?: string
  type: 'vf:Commitment'
  action: 'deliverService'
  /**
   * The party that opens the service.
   */
  provider: string
  /**
   * The party whose members may use it.
   */
  receiver: string
  /**
   * The HostedService.
   */
  resourceConformsTo: string
  /**
   * The quota: how many of the receiver's members may use it.
   */
  resourceQuantity?: {
    hasUnit: 'one'
    hasNumericalValue: string
  }
  hasBeginning?: string
  hasEnd?: string
}
