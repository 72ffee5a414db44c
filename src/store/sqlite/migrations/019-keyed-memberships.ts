import type { Migration } from './migration'

/**
 * Migration 19: `stream_collections` kept in the order of its key (a `WITHOUT ROWID` table on
 * (collection, seq)). As a rowid table it was three B-trees for one membership — the rows, the key
 * and the target index (the key again, with the delivery target, so a page of an audience is read
 * from one index) — and every received activity's inbox row was written to all three. Keyed, the
 * rows themselves are in that order and hold the target: one B-tree where there were three, and
 * the target index is gone. The `seq` index stays (an activity's memberships). The triggers that
 * keep the counts and the targets are the same ones, put back after the rebuild. On a large store
 * this copies every membership once, at the first start after the upgrade.
 */
export const migrationKeyedMemberships: Migration = {
  version: 19,
  name: 'collection memberships kept in the order of their key',
  up (db) {
    const triggers = db.prepare<[], { name: string, sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (tbl_name = 'stream_collections' OR sql LIKE '%stream_collections%') ORDER BY name").all()
    // Every trigger naming the table is taken down and put back after the rebuild: the table's own
    // go with it, and SQLite refuses the rename while a trigger on another table names a missing one.
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`)
    db.exec(`
      CREATE TABLE stream_collections_keyed (
        collection TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES streams(seq) ON DELETE CASCADE,
        target TEXT,
        recipient TEXT,
        PRIMARY KEY (collection, seq)
      ) WITHOUT ROWID;
      INSERT INTO stream_collections_keyed (collection, seq, target, recipient)
        SELECT collection, seq, target, recipient FROM stream_collections ORDER BY collection, seq;
      DROP TABLE stream_collections;
      ALTER TABLE stream_collections_keyed RENAME TO stream_collections;
      CREATE INDEX stream_collections_seq ON stream_collections(seq);
    `)
    for (const trigger of triggers) db.exec(trigger.sql)
  }
}
