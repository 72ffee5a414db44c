/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * An actor URL or user@host (looked up with WebFinger).
 */
export type ActorRef = string
/**
 * For each party, the HostedServices it opens to the other parties' members, with an optional quota of members.
 *
 * @minItems 1
 * @maxItems 100
 */
export type Services = [
  {
    /**
     * The party that opens it; defaults to the proposing co-op.
     */
    party?: string
    /**
     * The HostedService's id.
     */
    service: string
    /**
     * How many members of each other party may use it.
     */
    quota?: number
  },
  ...{
    /**
     * The party that opens it; defaults to the proposing co-op.
     */
    party?: string
    /**
     * The HostedService's id.
     */
    service: string
    /**
     * How many members of each other party may use it.
     */
    quota?: number
  }[]
]

/**
 * Body of POST /api/v1/coops/:username/agreements: the co-op offers a member-exchange agreement to one or more other co-ops.
 */
export interface AgreementCreateRequest {
  /**
   * The other co-ops.
   *
   * @minItems 1
   * @maxItems 20
   */
  parties:
    | [ActorRef]
    | [ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef, ActorRef]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
    | [
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef,
        ActorRef
      ]
  name?: string
  /**
   * The terms, for people (plain text or simple HTML).
   */
  terms: string
  services: Services
  startTime: string
  endTime?: string
}
