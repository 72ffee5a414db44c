/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Languages the co-op works in, as ISO 639-1 codes, e.g. ["de", "en"].
 *
 * @maxItems 20
 */
export type Languages = string[]

/**
 * Body of PATCH /api/v1/coops/:username: changes the co-op's profile. Every field is optional; a field left out keeps its value. url, icon and location take null to remove them; an empty summary or languages list clears it. The actor keeps its id, keys and published date, and an Update of it goes to its followers.
 */
export interface CoopUpdateRequest {
  /**
   * Display name.
   */
  name?: string
  /**
   * Plain-text description.
   */
  summary?: string
  url?: string | null
  icon?: string | null
  /**
   * automatic: follows are accepted at once; approval: they wait for an admin.
   */
  followPolicy?: 'automatic' | 'approval'
  location?: Location | null
  languages?: Languages
}
/**
 * Where the co-op is: shown in the directory and on its map, and in its actor as a Place.
 */
export interface Location {
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
