import type { Migration } from './migration'

/**
 * Migration 17: the deliveries a publish queues share one copy of its body. Each delivery row
 * carried the whole activity, so queuing a fan-out to 10,000 own inboxes wrote 10,000 copies
 * (about 15 MB) and each commit of a page's deliveries waited for the disk long enough to hold
 * every other request. Now the publish's body is kept once in `delivery_bodies`, and its
 * delivery rows hold an empty `body` and name it by `activity_id`; a delivery is never an empty
 * document, so the empty string is unambiguous (and `body` keeps its NOT NULL). The body goes
 * with the last delivery that names it. Deliveries queued one by one (apex's) keep their own body.
 */
export const migrationDeliveryBodies: Migration = {
  version: 17,
  name: 'one body per publish for its queued deliveries',
  up (db) {
    db.exec(`
      CREATE TABLE delivery_bodies (
        activity_id TEXT PRIMARY KEY,
        body TEXT NOT NULL
      );
      CREATE TRIGGER delivery_body_released AFTER DELETE ON deliveries
        WHEN OLD.body = '' AND OLD.activity_id IS NOT NULL BEGIN
        DELETE FROM delivery_bodies WHERE activity_id = OLD.activity_id
          AND NOT EXISTS (SELECT 1 FROM deliveries WHERE activity_id = OLD.activity_id);
      END;
    `)
  }
}
