/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/coops/:username/memberships (join an umbrella) and of POST /api/v1/coops/:username/memberships/leave (leave it).
 */
export interface MembershipRequest {
  /**
   * The umbrella as name@host (looked up with WebFinger) or its actor URL.
   */
  umbrella: string
}
