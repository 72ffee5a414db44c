/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */

/**
 * A member co-op's vote on a decision, in Mastodon's shape for answering a poll: a Note whose name is the chosen option, in reply to the Question, addressed to the umbrella.
 */
export interface Vote {
  id: string
  type: 'Note'
  /**
   * The chosen option.
   */
  name: string
  /**
   * The decision (Question).
   */
  inReplyTo: string
  /**
   * The voting co-op.
   */
  attributedTo: string
  published?: string
  to?: string | string[]
  cc?: string | string[]
}
