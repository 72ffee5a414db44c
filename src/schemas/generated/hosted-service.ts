/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Who may use it: public (anyone), members (the co-op's members), agreement (also members of co-ops with an agreement).
 */
export type Access = 'public' | 'members' | 'agreement'
export type Status = 'operational' | 'degraded' | 'down' | 'retired'

/**
 * A service a co-op hosts, as federated: type ["Page", "ioo:HostedService"], compacted against the hub context. Unknown extra properties are kept.
 */
export interface HostedService {
  id: string
  /**
   * Always holds "Page" (so Mastodon shows it) and "ioo:HostedService".
   */
  type: string[]
  /**
   * The co-op actor that operates it.
   */
  attributedTo: string
  name: string
  summary: string
  url: string
  serviceType: string
  software?: Software
  access: Access
  acceptingMembers?: boolean
  status?: Status
  checkedAt?: string
  dataLocation?: string
  termsOfService?: string
  published?: string
  updated?: string
  /**
   * Audience: the public address and/or actors or collections. One IRI or a list.
   */
  to?: string | string[]
  /**
   * Secondary audience, e.g. the co-op's followers. One IRI or a list.
   */
  cc?: string | string[]
}
/**
 * The software a hosted service runs (ioo:software).
 */
export interface Software {
  name: string
  homepage?: string
  softwareVersion?: string
}
