/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/umbrellas/:username/members (admin token only): adds a member without a Join, e.g. the founding members of a vote umbrella.
 */
export interface UmbrellaMemberAddRequest {
  /**
   * The new member as name@host (looked up with WebFinger) or its actor URL.
   */
  actor: string
}
