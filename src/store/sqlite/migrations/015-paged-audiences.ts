import type { Migration } from './migration'
import { deliveryTargetOf } from '../delivery-target'

/**
 * Migration 15: audiences resolved in pages, collection sizes kept. Each cached actor's delivery
 * target (shared inbox, else inbox) in an indexed column; a resolution job's cursor; the targets
 * a job has queued (so a target is queued once per activity even after its delivery is done and
 * removed); `totalItems` of every collection kept by triggers on its membership rows.
 */
export const migrationPagedAudiences: Migration = {
  version: 15,
  name: 'paged audience resolution: delivery targets, job cursors, kept collection counts',
  up (db) {
    db.exec(`
      ALTER TABLE objects ADD COLUMN delivery_target TEXT;

      -- how far a job got: the audience entry being resolved and the last membership row done
      ALTER TABLE outbox_resolutions ADD COLUMN cursor_position INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox_resolutions ADD COLUMN cursor_seq INTEGER NOT NULL DEFAULT 0;

      -- every target a job has queued; removed with the job
      CREATE TABLE outbox_resolution_targets (
        job_id INTEGER NOT NULL REFERENCES outbox_resolutions(id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        PRIMARY KEY (job_id, address)
      ) WITHOUT ROWID;

      -- totalItems of each collection, written in the transaction that adds or removes a member
      CREATE TABLE collection_counts (
        collection TEXT PRIMARY KEY,
        total INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO collection_counts (collection, total)
        SELECT collection, COUNT(*) FROM stream_collections GROUP BY collection;
      CREATE TRIGGER stream_collections_counted AFTER INSERT ON stream_collections BEGIN
        INSERT INTO collection_counts (collection, total) VALUES (NEW.collection, 1)
          ON CONFLICT(collection) DO UPDATE SET total = total + 1;
      END;
      CREATE TRIGGER stream_collections_uncounted AFTER DELETE ON stream_collections BEGIN
        UPDATE collection_counts SET total = total - 1 WHERE collection = OLD.collection;
      END;
    `)
    const rows = db.prepare<[], { id: string, doc: string }>('SELECT id, doc FROM objects').all()
    const write = db.prepare<[string | null, string]>('UPDATE objects SET delivery_target = ? WHERE id = ?')
    for (const row of rows) {
      const doc = JSON.parse(row.doc) as unknown
      if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) write.run(deliveryTargetOf(doc as Record<string, unknown>), row.id)
    }
  }
}
