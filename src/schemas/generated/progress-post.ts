/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/umbrellas/:username/projects/:key/posts: a progress post of a shared project, federated as a Note with the project as its context to members and followers. Plain text; the hub escapes it.
 */
export interface ProgressPostRequest {
  /**
   * What happened, as plain text.
   */
  content: string
}
