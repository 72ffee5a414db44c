/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * The software a hosted service runs (ioo:software).
 */
export interface Software {
  name: string
  homepage?: string
  softwareVersion?: string
}
