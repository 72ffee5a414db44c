import type { PostgresMigration } from './migration'

/**
 * Migration 10 (SQLite's 16): each membership row keeps its member's delivery target, so a page
 * of a followers collection is one range of one index with no join to the activity and the
 * cached actor. Triggers keep the copy right in the transaction that changes it: a row added to
 * a collection takes its actor's target; an actor cached or updated with another target passes it
 * to the membership rows of its activities; an activity whose actor changes takes the new actor's.
 */
export const migrationMembershipTargets: PostgresMigration = {
  version: 10,
  name: 'delivery target kept on each collection membership row',
  async up (db) {
    await db.query(`
      ALTER TABLE stream_collections ADD COLUMN target text;
      UPDATE stream_collections c SET target = o.delivery_target
        FROM streams s JOIN objects o ON o.id = s.actor_id WHERE s.seq = c.seq;
      CREATE INDEX stream_collections_targets ON stream_collections (collection, seq) INCLUDE (target);

      CREATE FUNCTION hub_membership_target () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT o.delivery_target INTO NEW.target FROM streams s JOIN objects o ON o.id = s.actor_id WHERE s.seq = NEW.seq;
        RETURN NEW;
      END $$;
      CREATE TRIGGER stream_collections_target_added BEFORE INSERT ON stream_collections
        FOR EACH ROW EXECUTE FUNCTION hub_membership_target();

      CREATE FUNCTION hub_actor_target_changed () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE stream_collections SET target = NEW.delivery_target
          WHERE seq IN (SELECT seq FROM streams WHERE actor_id = NEW.id) AND target IS DISTINCT FROM NEW.delivery_target;
        RETURN NULL;
      END $$;
      CREATE TRIGGER objects_target_cached AFTER INSERT ON objects
        FOR EACH ROW WHEN (NEW.delivery_target IS NOT NULL) EXECUTE FUNCTION hub_actor_target_changed();
      CREATE TRIGGER objects_target_changed AFTER UPDATE OF delivery_target ON objects
        FOR EACH ROW WHEN (NEW.delivery_target IS DISTINCT FROM OLD.delivery_target) EXECUTE FUNCTION hub_actor_target_changed();

      CREATE FUNCTION hub_activity_actor_changed () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE stream_collections SET target = (SELECT delivery_target FROM objects WHERE id = NEW.actor_id) WHERE seq = NEW.seq;
        RETURN NULL;
      END $$;
      CREATE TRIGGER streams_actor_changed AFTER UPDATE OF actor_id ON streams
        FOR EACH ROW WHEN (NEW.actor_id IS DISTINCT FROM OLD.actor_id) EXECUTE FUNCTION hub_activity_actor_changed();
    `)
  }
}
