import { sqlMigration } from './migration'

/**
 * Migration 8 (SQLite's 14): for copies of other hubs' pools, when the copy was last received or
 * fetched from its origin, and the latest change of the pool the hub has heard of since (a
 * steward's answer to a pledge). A copy older than that change is fetched again when viewed.
 */
export const migrationPoolCopies = sqlMigration(8, 'pool copies: refreshed_at and changed_at', `
  ALTER TABLE pools ADD COLUMN refreshed_at text;
  ALTER TABLE pools ADD COLUMN changed_at text;
  -- copies stored before: the best known time is the document's own last change
  UPDATE pools SET refreshed_at = updated_at WHERE NOT local;
`)
