import type { Migration } from './migration'

/** A co-op's blocked collection: apex's `/u/:actor/blocked`, the only collection named so. */
const IS_BLOCKED = (collection: string): string => `substr(${collection}, -8) = '/blocked'`

const bump = "UPDATE change_stamps SET value = value + 1 WHERE name = 'blocked_collections';"

/**
 * Migration 23: a change stamp for the co-ops' blocked collections. Every inbox request reads
 * who its recipient blocks (apex's block list, `inboxTarget`): one read of the collection's
 * count per request, almost always answering none. The list is kept in memory under this stamp
 * instead, moved by any write that can change it, from any connection of any process: an
 * activity joining or leaving a blocked collection (a Block, an Undo of one, a cascade from a
 * removed activity) and an activity held in one whose document changes. Every other membership
 * (each received activity's inbox row) pays only the `WHEN` test of a trigger that does not fire.
 */
export const migrationBlockedCollectionsStamp: Migration = {
  version: 23,
  name: 'change stamp for the blocked collections',
  up (db) {
    db.exec(`
      INSERT INTO change_stamps (name, value) VALUES ('blocked_collections', 0);
      CREATE TRIGGER blocked_collections_stamped_insert AFTER INSERT ON stream_collections
        WHEN ${IS_BLOCKED('NEW.collection')} BEGIN ${bump} END;
      CREATE TRIGGER blocked_collections_stamped_delete AFTER DELETE ON stream_collections
        WHEN ${IS_BLOCKED('OLD.collection')} BEGIN ${bump} END;
      CREATE TRIGGER blocked_collections_stamped_update AFTER UPDATE ON stream_collections
        WHEN ${IS_BLOCKED('OLD.collection')} OR ${IS_BLOCKED('NEW.collection')} BEGIN ${bump} END;
      CREATE TRIGGER blocked_collections_stamped_document AFTER UPDATE OF doc, object_id ON streams
        WHEN EXISTS (SELECT 1 FROM stream_collections WHERE seq = NEW.seq AND ${IS_BLOCKED('collection')}) BEGIN ${bump} END;
    `)
  }
}
