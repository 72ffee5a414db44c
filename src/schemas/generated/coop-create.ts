/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/coops: registers a co-op and creates its actor.
 */
export interface CoopCreateRequest {
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
   * The co-op's website.
   */
  url?: string
  /**
   * URL of a square logo image.
   */
  icon?: string
  /**
   * Where the co-op is: shown in the directory and on its map, and in its actor as a Place.
   */
  location?: {
    /**
     * Address or town, as people write it.
     */
    name?: string
    /**
     * ISO 3166-1 alpha-2 country code.
     */
    country?: string
    latitude?: number
    longitude?: number
  }
  /**
   * Languages the co-op works in, as ISO 639-1 codes, e.g. ["de", "en"].
   *
   * @maxItems 20
   */
  languages?: string[]
  /**
   * automatic: follows are accepted at once; approval: they wait for an admin.
   */
  followPolicy?: 'automatic' | 'approval'
}
