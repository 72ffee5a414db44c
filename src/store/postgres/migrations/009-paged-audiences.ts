import type { Queryable } from '../postgres-database'
import { deliveryTargetOf } from '../../sqlite/delivery-target'
import type { PostgresMigration } from './migration'

/** Objects whose delivery target is computed per round trip. */
const BATCH = 1000

/**
 * Migration 9 (SQLite's 15): audiences resolved in pages, collection sizes kept. Each cached
 * actor's delivery target (shared inbox, else inbox) in a column; a resolution job's cursor; the
 * targets a job has queued (so a target is queued once per activity even after its delivery is
 * done and removed); `totalItems` of every collection kept by triggers on its membership rows.
 */
export const migrationPagedAudiences: PostgresMigration = {
  version: 9,
  name: 'paged audience resolution: delivery targets, job cursors, kept collection counts',
  async up (db) {
    await db.query(`
      ALTER TABLE objects ADD COLUMN delivery_target text;

      -- how far a job got: the audience entry being resolved and the last membership row done
      ALTER TABLE outbox_resolutions ADD COLUMN cursor_position integer NOT NULL DEFAULT 0;
      ALTER TABLE outbox_resolutions ADD COLUMN cursor_seq bigint NOT NULL DEFAULT 0;

      -- every target a job has queued; removed with the job
      CREATE TABLE outbox_resolution_targets (
        job_id bigint NOT NULL REFERENCES outbox_resolutions (id) ON DELETE CASCADE,
        address text NOT NULL,
        PRIMARY KEY (job_id, address)
      );

      -- totalItems of each collection, written in the transaction that adds or removes a member
      CREATE TABLE collection_counts (
        collection text PRIMARY KEY,
        total integer NOT NULL
      );
      INSERT INTO collection_counts (collection, total)
        SELECT collection, count(*) FROM stream_collections GROUP BY collection;

      CREATE FUNCTION hub_count_collection_member () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO collection_counts (collection, total) VALUES (NEW.collection, 1)
            ON CONFLICT (collection) DO UPDATE SET total = collection_counts.total + 1;
        ELSE
          UPDATE collection_counts SET total = total - 1 WHERE collection = OLD.collection;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER stream_collections_counted AFTER INSERT OR DELETE ON stream_collections
        FOR EACH ROW EXECUTE FUNCTION hub_count_collection_member();
    `)
    await fillDeliveryTargets(db)
  }
}

/** Computes every cached object's delivery target as the store writes it, a batch at a time. */
async function fillDeliveryTargets (db: Queryable): Promise<void> {
  let after = ''
  for (;;) {
    const rows = (await db.query<{ id: string, doc: unknown }>(
      'SELECT id, doc FROM objects WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2', [after, BATCH])).rows
    if (rows.length === 0) return
    const ids: string[] = []
    const targets: Array<string | null> = []
    for (const row of rows) {
      if (row.doc !== null && typeof row.doc === 'object' && !Array.isArray(row.doc)) {
        ids.push(row.id)
        targets.push(deliveryTargetOf(row.doc as Record<string, unknown>))
      }
    }
    await db.query(`UPDATE objects o SET delivery_target = t.target FROM unnest($1::text[], $2::text[]) AS t (id, target)
      WHERE o.id = t.id`, [ids, targets])
    after = rows[rows.length - 1].id
  }
}
