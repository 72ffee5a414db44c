/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/umbrellas: registers an umbrella organisation and creates its actor (a Group with ioo:Umbrella among its types). Umbrellas share the username space of co-ops.
 */
export interface UmbrellaCreateRequest {
  /**
   * Lower-case handle, used in the actor URL and in WebFinger (username@host).
   */
  username: string
  /**
   * Display name.
   */
  name: string
  /**
   * Plain-text description.
   */
  summary?: string
  /**
   * The umbrella's website.
   */
  url?: string
  /**
   * How a Join is answered. open: accepted at once; approval: it waits for the umbrella's token holder; vote: it waits for a decision of the members.
   */
  membershipPolicy: 'open' | 'approval' | 'vote'
}
