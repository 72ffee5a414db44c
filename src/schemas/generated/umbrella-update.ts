/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of PATCH /api/v1/umbrellas/:username: changes the umbrella's name, summary or membership policy. A field left out keeps its value; an empty summary clears it. The actor keeps its id and keys, and an Update of it goes to its followers and members.
 */
export interface UmbrellaUpdateRequest {
  /**
   * Display name.
   */
  name?: string
  /**
   * Plain-text description.
   */
  summary?: string
  /**
   * How a Join is answered. open: accepted at once; approval: it waits for the umbrella's token holder; vote: it waits for a decision of the members.
   */
  membershipPolicy?: 'open' | 'approval' | 'vote'
}
