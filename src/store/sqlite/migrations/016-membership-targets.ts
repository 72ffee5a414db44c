import type { Migration } from './migration'

/**
 * Migration 16: each membership row keeps its member's delivery target. A page of a followers
 * collection is then one range of one covering index, with no join to the activity and the
 * cached actor by text ids. Triggers keep the copy right in the transaction that changes it: a
 * row added to a collection takes its actor's target; an actor cached or updated with another
 * target (a new inbox or shared inbox) passes it to every membership row of its activities; an
 * activity whose actor changes takes the new actor's target.
 */
export const migrationMembershipTargets: Migration = {
  version: 16,
  name: 'delivery target kept on each collection membership row',
  up (db) {
    db.exec(`
      ALTER TABLE stream_collections ADD COLUMN target TEXT;
      UPDATE stream_collections SET target = (
        SELECT o.delivery_target FROM streams s JOIN objects o ON o.id = s.actor_id WHERE s.seq = stream_collections.seq);
      CREATE INDEX stream_collections_targets ON stream_collections(collection, seq, target);

      CREATE TRIGGER stream_collections_target_added AFTER INSERT ON stream_collections BEGIN
        UPDATE stream_collections SET target = (
          SELECT o.delivery_target FROM streams s JOIN objects o ON o.id = s.actor_id WHERE s.seq = NEW.seq)
        WHERE collection = NEW.collection AND seq = NEW.seq;
      END;
      CREATE TRIGGER objects_target_cached AFTER INSERT ON objects WHEN NEW.delivery_target IS NOT NULL BEGIN
        UPDATE stream_collections SET target = NEW.delivery_target
        WHERE seq IN (SELECT seq FROM streams WHERE actor_id = NEW.id) AND target IS NOT NEW.delivery_target;
      END;
      CREATE TRIGGER objects_target_changed AFTER UPDATE OF delivery_target ON objects
        WHEN NEW.delivery_target IS NOT OLD.delivery_target BEGIN
        UPDATE stream_collections SET target = NEW.delivery_target
        WHERE seq IN (SELECT seq FROM streams WHERE actor_id = NEW.id);
      END;
      CREATE TRIGGER streams_actor_changed AFTER UPDATE OF actor_id ON streams
        WHEN NEW.actor_id IS NOT OLD.actor_id BEGIN
        UPDATE stream_collections SET target = (SELECT delivery_target FROM objects WHERE id = NEW.actor_id)
        WHERE seq = NEW.seq;
      END;
    `)
  }
}
