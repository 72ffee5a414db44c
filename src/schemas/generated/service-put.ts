/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of PUT /api/v1/coops/:username/services/:key: creates or replaces a hosted service.
 */
export interface ServicePutRequest {
  name: string
  summary?: string
  /**
   * Service category slug, e.g. file-hosting, web-hosting, email, chat, office, calendar, read-later, feeds, video, forms, decisions, helpdesk.
   */
  category: string
  /**
   * The software behind the service: its name, or name with homepage and version.
   */
  software?: string | Software
  /**
   * Where members use the service.
   */
  url: string
  /**
   * Who may use it: public (anyone), members (the co-op's members), agreement (also members of co-ops with an agreement).
   */
  access: 'public' | 'members' | 'agreement'
  acceptingMembers?: boolean
  /**
   * ISO 3166-1 alpha-2 country where the data is kept.
   */
  dataLocation?: string
  termsOfService?: string
}
/**
 * The software a hosted service runs (ioo:software).
 */
export interface Software {
  name: string
  homepage?: string
  softwareVersion?: string
}
