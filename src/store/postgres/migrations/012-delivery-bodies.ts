import type { PostgresMigration } from './migration'

/**
 * Migration 12 (SQLite's 17): the table of bodies shared by a publish's queued deliveries, whose
 * rows then hold an empty `body` and name it by `activity_id`. This store keeps writing each
 * delivery's own body: with several processes finishing deliveries at the same moment, a shared
 * body could be removed while one of them still needs it, or left behind. The table is here for
 * the deliveries a copy from SQLite brings; their body goes with the last delivery that names it.
 */
export const migrationDeliveryBodies: PostgresMigration = {
  version: 12,
  name: 'the bodies of deliveries copied from SQLite',
  async up (db) {
    await db.query(`
      CREATE TABLE delivery_bodies (
        activity_id text PRIMARY KEY,
        body text NOT NULL
      );
      CREATE FUNCTION hub_release_delivery_body () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM delivery_bodies WHERE activity_id = OLD.activity_id
          AND NOT EXISTS (SELECT 1 FROM deliveries WHERE activity_id = OLD.activity_id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER delivery_body_released AFTER DELETE ON deliveries
        FOR EACH ROW WHEN (OLD.body = '' AND OLD.activity_id IS NOT NULL)
        EXECUTE FUNCTION hub_release_delivery_body();
    `)
  }
}
