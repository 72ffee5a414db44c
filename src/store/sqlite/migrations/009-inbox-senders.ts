import type { Migration } from './migration'

/**
 * Migration 9: the inbox journal is keyed by the verified sender too, and the activities an
 * inbox processed are remembered for a while (`inbox_processed`), so neither a peer claiming
 * another server's activity id nor a replay after an Undo can get an activity dropped or run
 * twice.
 */
export const migrationInboxSenders: Migration = {
  version: 9,
  name: 'inbox journal keyed by sender; processed inbox activities remembered',
  up (db) {
    db.exec(`
      CREATE TABLE inbox_journal_by_sender (
        sender TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        owner TEXT,
        PRIMARY KEY (sender, activity_id, recipient_id)
      );
      -- entries written before: their sender is the stored activity's actor (none when it was never stored)
      INSERT INTO inbox_journal_by_sender (sender, activity_id, recipient_id, received_at, owner)
        SELECT COALESCE((SELECT s.actor_id FROM streams s WHERE s.id = j.activity_id), ''),
               j.activity_id, j.recipient_id, j.received_at, j.owner
        FROM inbox_journal j;
      DROP TABLE inbox_journal;
      ALTER TABLE inbox_journal_by_sender RENAME TO inbox_journal;
      CREATE INDEX inbox_journal_received ON inbox_journal(received_at);

      -- (sender, activity, recipient) an inbox finished, kept at least as long as a signature stays valid
      CREATE TABLE inbox_processed (
        sender TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (sender, activity_id, recipient_id)
      );
      CREATE INDEX inbox_processed_at ON inbox_processed(processed_at);
    `)
  }
}
