import type { Migration } from './migration'

/**
 * Migration 21: a membership of an inbox (one naming its recipient) is not given its actor's
 * delivery target when it is added. The target is kept so that a page of a followers collection
 * is read from one range of rows (migration 16); nothing delivers to the members of an inbox, and
 * every received activity's inbox row paid for the look-up and the update of its own row that
 * set it (about 5 µs of a received activity's write, measured on the store alone). The triggers
 * that pass an actor's new target on to the memberships of its activities are unchanged.
 */
export const migrationInboxMembershipsUntargeted: Migration = {
  version: 21,
  name: 'no delivery target looked up for an inbox membership',
  up (db) {
    db.exec(`
      DROP TRIGGER stream_collections_target_added;
      CREATE TRIGGER stream_collections_target_added AFTER INSERT ON stream_collections
        WHEN NEW.recipient IS NULL BEGIN
        UPDATE stream_collections SET target = (
          SELECT o.delivery_target FROM streams s JOIN objects o ON o.id = s.actor_id WHERE s.seq = NEW.seq)
        WHERE collection = NEW.collection AND seq = NEW.seq;
      END;
    `)
  }
}
