/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * A directory entry in the form VOCABULARY.md gives it for federation: ["Page", "ioo:DirectoryEntry"] with name, summary, url, icon, location, tag, ioo:source and ioo:entryStatus. Served by GET /api/v1/directory/:id to Accept: application/activity+json; built from the API form (directory-entry.schema.json).
 */
export interface DirectoryEntryAs2 {
  /**
   * The entry's IRI: its API URL, which serves this document.
   */
  id: string
  /**
   * A Page first, so that generic ActivityPub software can show it.
   *
   * @minItems 2
   */
  type: ['Page', 'ioo:DirectoryEntry']
  name: string
  /**
   * Plain text; never empty (a Page needs one).
   */
  summary: string
  /**
   * The cloud's website, or the hub's page of the entry when it has none.
   */
  url: string
  icon?: {
    type: 'Image'
    url: string
  }
  /**
   * An AS2 Place; addressCountry is schema.org's.
   */
  location?: {
    type: 'Place'
    name?: string
    addressCountry?: string
    latitude?: number
    longitude?: number
  }
  tag?: {
    type: 'Hashtag'
    name: string
  }[]
  /**
   * The co-op's ActivityPub actor, for co-op clouds.
   */
  about?: string
  /**
   * ISO 639-1 codes.
   */
  knowsLanguage?: string[]
  /**
   * active, planned (in development or a concept), paused (dormant), closed.
   */
  entryStatus: 'active' | 'planned' | 'paused' | 'closed'
  /**
   * Where the entry came from: one item per source record (its id there, when this hub last read it). Written as a CURIE because `source` is ActivityStreams' own term.
   *
   * @minItems 1
   */
  'ioo:source': [
    {
      /**
       * The hub's host for co-ops, the directory's name for imports.
       */
      name: string
      /**
       * local: a co-op of this hub; federated: a co-op of a followed sibling hub; imported: from an external directory.
       */
      sourceKind: 'local' | 'federated' | 'imported'
      /**
       * The entry's id in its source.
       */
      identifier: string
      url?: string
      snapshot?: string
      retrievedAt: string
    },
    ...{
      /**
       * The hub's host for co-ops, the directory's name for imports.
       */
      name: string
      /**
       * local: a co-op of this hub; federated: a co-op of a followed sibling hub; imported: from an external directory.
       */
      sourceKind: 'local' | 'federated' | 'imported'
      /**
       * The entry's id in its source.
       */
      identifier: string
      url?: string
      snapshot?: string
      retrievedAt: string
    }[]
  ]
  updated: string
}
