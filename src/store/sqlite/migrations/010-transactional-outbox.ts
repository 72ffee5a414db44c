import type { Migration } from './migration'

/** Migration 10: transactional outbox: audience resolution jobs, deliveries keyed by their activity. */
export const migrationTransactionalOutbox: Migration = {
  version: 10,
  name: 'transactional outbox: audience resolution jobs, deliveries keyed by their activity',
  up (db) {
    db.exec(`
      -- a published activity whose audience is still to be resolved into deliveries; written in
      -- the publish's own transaction, removed in the one that queues its deliveries
      CREATE TABLE outbox_resolutions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        activity_id TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        body TEXT NOT NULL,
        audience TEXT NOT NULL,
        ordering_key TEXT,
        attempt INTEGER NOT NULL DEFAULT 0,
        after_ms INTEGER NOT NULL,
        lease_until_ms INTEGER,
        lease_owner TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX outbox_resolutions_due ON outbox_resolutions(after_ms, id);
      CREATE INDEX outbox_resolutions_ordering ON outbox_resolutions(ordering_key, id);

      -- one delivery per activity and inbox, however often its audience is resolved
      ALTER TABLE deliveries ADD COLUMN activity_id TEXT;
      CREATE UNIQUE INDEX deliveries_activity_address ON deliveries(activity_id, address) WHERE activity_id IS NOT NULL;
    `)
  }
}
