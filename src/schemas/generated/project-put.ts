/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * Body of PUT /api/v1/umbrellas/:username/projects/:key: creates or replaces one of the umbrella's shared projects. Milestones are matched by name; a done milestone cannot go back.
 */
export interface ProjectPutRequest {
  name: string
  summary: string
  upstream?: Upstream
  /**
   * @maxItems 50
   */
  milestones: {
    name: string
    due?: string
    status: 'planned' | 'active' | 'done'
  }[]
  /**
   * A funding pool the umbrella stewards that pays for the project.
   */
  poolId?: string
}
/**
 * The upstream software project the work goes to.
 */
export interface Upstream {
  name: string
  url: string
}
