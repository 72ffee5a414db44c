/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

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
 * Body of PATCH /api/v1/agreements/:id: a party proposes an amended version, which every party must accept again; the version in force stays so until then. coop names the acting party when the token is the admin's.
 */
export interface AgreementAmendRequest {
  /**
   * Username of the local party that acts (admin token only).
   */
  coop?: string
  name?: string
  terms?: string
  services?: Services
  startTime?: string
  endTime?: string | null
}
