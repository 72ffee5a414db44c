/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of POST /api/v1/sources: a directory source the scheduler imports (docs/sync.md).
 */
export interface SourceCreateRequest {
  /**
   * Short name to manage the source by, e.g. chatons.
   */
  id: string
  /**
   * Which adapter reads it.
   */
  format: 'ioo-csv' | 'ioo-json' | 'pcc' | 'murmurations' | 'chatons' | 'librehosters' | 'hub-directory'
  /**
   * The document the import starts from (the CSV export, the index query, the federation file, directory.json).
   */
  url: string
  /**
   * The provenance name its records carry; defaults to the format's (e.g. ioo.coop/directory) or, for a hub, its host.
   */
  name?: string
  enabled?: boolean
}
