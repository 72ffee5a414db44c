import type { Migration } from './migration'

/**
 * Migration 14: for copies of other hubs' pools, when the copy was last received or fetched
 * from its origin, and the latest change of the pool the hub has heard of since (a steward's
 * answer to a pledge). A copy older than that change is fetched again when it is viewed.
 */
export const migrationPoolCopies: Migration = {
  version: 14,
  name: 'pool copies: refreshed_at and changed_at',
  up (db) {
    db.exec(`
      ALTER TABLE pools ADD COLUMN refreshed_at TEXT;
      ALTER TABLE pools ADD COLUMN changed_at TEXT;
      -- copies stored before: the best known time is the document's own last change
      UPDATE pools SET refreshed_at = updated_at WHERE local = 0;
    `)
  }
}
