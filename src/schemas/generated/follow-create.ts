/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/coops/:username/follows: follow another co-op or any ActivityPub actor.
 */
export interface FollowCreateRequest {
  /**
   * user@host (looked up with WebFinger) or the actor's URL.
   */
  target: string
}
