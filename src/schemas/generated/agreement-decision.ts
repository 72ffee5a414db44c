/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body (optional) of POST /api/v1/agreements/:id/accept, /reject and /terminate, and of POST /api/v1/pledges/:id/accept and /reject. coop names the acting party when the token is the admin's; effectiveTime (terminate only) defaults to now.
 */
export interface AgreementDecisionRequest {
  coop?: string
  reason?: string
  effectiveTime?: string
}
