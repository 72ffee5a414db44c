/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * GET /directory.json: the hub's whole directory, the feed sibling directories import.
 */
export interface DirectoryFeed {
  /**
   * Version of this format.
   */
  schema: 'ioocloud-directory/0.1'
  hub: {
    url: string
    name: string
  }
  generatedAt: string
  totalItems: number
  entries: DirectoryEntry[]
}
/**
 * One participating cloud in the hub's directory: sources merged by canonical website, every source kept as provenance. Served by GET /api/v1/directory/:id and in /directory.json.
 */
export interface DirectoryEntry {
  /**
   * The entry's id in this directory (stable: derived from the canonical website).
   */
  id: string
  /**
   * The cloud's website (or, when it has none, its actor or a urn).
   */
  url: string
  name: string
  summary?: string
  logo?: string
  /**
   * coop-cloud: a co-op actor of this or a followed hub; imported: known only from an external directory.
   */
  kind: 'coop-cloud' | 'imported'
  /**
   * active, planned (in development or a concept), paused (dormant), closed.
   */
  status: 'active' | 'planned' | 'paused' | 'closed'
  legalForm?: 'cooperative' | 'nonprofit' | 'association' | 'company' | 'informal' | 'other'
  memberClasses?: string[]
  tags: string[]
  location?: {
    address?: string
    locality?: string
    /**
     * ISO 3166-1 alpha-2.
     */
    country?: string
    lat?: number
    lon?: number
  }
  /**
   * ISO 639-1 codes.
   */
  languages: string[]
  /**
   * Only role addresses and contact pages; an e-mail address imported from another directory is never republished.
   */
  contact?: {
    email?: string
    url?: string
  }
  /**
   * The co-op's ActivityPub actor, for co-op clouds.
   */
  actor?: string
  /**
   * Set while the co-op's hub has not answered several sibling syncs in a row: since when (docs/sync.md).
   */
  unreachableSince?: string
  /**
   * True for a co-op of this hub.
   */
  local: boolean
  services: Service[]
  /**
   * Other addresses: source repository, HTML page, Murmurations profile.
   */
  links: {
    rel: string
    href: string
  }[]
  /**
   * @minItems 1
   */
  provenance: [Provenance, ...Provenance[]]
  updatedAt: string
}
/**
 * A hosted service of the cloud, as its co-op publishes it.
 */
export interface Service {
  id: string
  name: string
  summary?: string
  url: string
  category: string
  software?: Software
  /**
   * Who may use it: public (anyone), members (the co-op's members), agreement (also members of co-ops with an agreement).
   */
  access: 'public' | 'members' | 'agreement'
  acceptingMembers?: boolean
  status?: 'operational' | 'degraded' | 'down' | 'retired'
  checkedAt?: string
  dataLocation?: string
}
/**
 * The software a hosted service runs (ioo:software).
 */
export interface Software {
  name: string
  homepage?: string
  softwareVersion?: string
}
/**
 * Where one part of the entry came from.
 */
export interface Provenance {
  /**
   * The hub's host for local and federated co-ops; the directory's name for imports, e.g. ioo.coop/directory.
   */
  source: string
  /**
   * local: a co-op of this hub; federated: a co-op of a followed sibling hub; imported: from an external directory.
   */
  kind: 'local' | 'federated' | 'imported'
  /**
   * The entry's id in its source: an actor id, or the source's own key.
   */
  sourceId: string
  url?: string
  /**
   * Which version of the source was read, e.g. a commit.
   */
  snapshot?: string
  retrievedAt: string
}
