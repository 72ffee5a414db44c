/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/coops/:username/votes: the co-op votes on a decision of an umbrella it belongs to. A later vote replaces the earlier one until the decision closes.
 */
export interface VoteCreateRequest {
  /**
   * The decision's id (an http(s) IRI).
   */
  decision: string
  /**
   * One of the decision's options, e.g. agree.
   */
  choice: string
}
