import type { PostgresMigration } from './migration'

/**
 * Migration 11: a collection's kept count is updated when the transaction that adds or removes
 * its members commits, not at each row. Updated at each row, the count's row stayed locked from
 * the first member added to the commit, across every later round trip of that transaction, so
 * all inbound activities for one inbox — from every hub process — were written one transaction
 * at a time. Deferred to the commit, the lock is held only while the transaction commits. The
 * count still changes in the same transaction as its members (an abort leaves both as they were).
 */
export const migrationDeferredCollectionCounts: PostgresMigration = {
  version: 11,
  name: 'collection counts updated at commit',
  async up (db) {
    await db.query(`
      DROP TRIGGER stream_collections_counted ON stream_collections;
      CREATE CONSTRAINT TRIGGER stream_collections_counted AFTER INSERT OR DELETE ON stream_collections
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION hub_count_collection_member();
    `)
  }
}
