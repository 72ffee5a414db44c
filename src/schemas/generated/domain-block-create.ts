/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/admin/domain-blocks: stop federating with a domain (and its subdomains).
 */
export interface DomainBlockCreateRequest {
  /**
   * A host name such as spam.example (its subdomains are blocked too), or host:port for one origin.
   */
  domain: string
  /**
   * Why, for the other admins; never sent to the blocked domain.
   */
  reason?: string
}
