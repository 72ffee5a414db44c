import type { Migration } from './migration'

/**
 * Migration 22: activities are indexed by their actor only where that index is read — Follows.
 *
 * A membership's delivery target (migration 16) is read for one kind of page only: a local
 * actor's followers collection, resolved for delivery (`audiencePage`), whose members are the
 * Follow activities the actor accepted. So only a Follow's memberships take their actor's target
 * when added, and only a Follow's memberships are given their actor's new target; the triggers
 * find an actor's Follows by an index that holds nothing else. The index of every activity by
 * its actor goes: every received activity paid for one entry of it, at a random place (one more
 * B-tree page written per received activity, about 6 % of the event loop's time per activity
 * at 10 connections; docs/performance.md). apex's look-up of an activity by collection and actor
 * (a follower's Follow, for a Reject naming none) reads the collection's rows instead.
 *
 * Targets that earlier versions set on the memberships of other activities stay as they were:
 * nothing reads them, and clearing them would rewrite most of a large store's membership rows.
 */
export const migrationFollowActorIndex: Migration = {
  version: 22,
  name: 'activities indexed by actor only for Follows',
  up (db) {
    db.exec(`
      DROP TRIGGER stream_collections_target_added;
      CREATE TRIGGER stream_collections_target_added AFTER INSERT ON stream_collections
        WHEN NEW.recipient IS NULL AND (SELECT type FROM streams WHERE seq = NEW.seq) = 'Follow' BEGIN
        UPDATE stream_collections SET target = (
          SELECT o.delivery_target FROM streams s JOIN objects o ON o.id = s.actor_id WHERE s.seq = NEW.seq)
        WHERE collection = NEW.collection AND seq = NEW.seq;
      END;

      DROP TRIGGER objects_target_cached;
      CREATE TRIGGER objects_target_cached AFTER INSERT ON objects WHEN NEW.delivery_target IS NOT NULL BEGIN
        UPDATE stream_collections SET target = NEW.delivery_target
        WHERE seq IN (SELECT seq FROM streams WHERE actor_id = NEW.id AND type = 'Follow') AND target IS NOT NEW.delivery_target;
      END;

      DROP TRIGGER objects_target_changed;
      CREATE TRIGGER objects_target_changed AFTER UPDATE OF delivery_target ON objects
        WHEN NEW.delivery_target IS NOT OLD.delivery_target BEGIN
        UPDATE stream_collections SET target = NEW.delivery_target
        WHERE seq IN (SELECT seq FROM streams WHERE actor_id = NEW.id AND type = 'Follow');
      END;

      -- An activity rewritten with another actor or type: its memberships take the target a Follow
      -- of that actor has, or none.
      DROP TRIGGER streams_actor_changed;
      CREATE TRIGGER streams_actor_changed AFTER UPDATE OF actor_id, type ON streams
        WHEN NEW.actor_id IS NOT OLD.actor_id OR NEW.type IS NOT OLD.type BEGIN
        UPDATE stream_collections SET target = CASE WHEN NEW.type = 'Follow'
          THEN (SELECT delivery_target FROM objects WHERE id = NEW.actor_id) END
        WHERE seq = NEW.seq AND recipient IS NULL;
      END;

      DROP INDEX streams_actor_id;
      CREATE INDEX streams_follow_actor ON streams(actor_id) WHERE type = 'Follow';
    `)
  }
}
