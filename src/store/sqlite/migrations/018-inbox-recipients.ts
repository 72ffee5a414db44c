import type { Migration } from './migration'

/**
 * Migration 18: an inbox membership names the local actor it was received for. An activity
 * received where no handler of the hub runs is settled in one write, and its row in the
 * recipient's inbox is then its only record: what says it was processed (a replay is a repeat)
 * and, should it leave the inbox (an Undo), whose processed record to write. Rows from before
 * have no recipient; their receipts were remembered as processed when they were stored.
 */
export const migrationInboxRecipients: Migration = {
  version: 18,
  name: 'the recipient of an inbox membership',
  up (db) {
    db.exec('ALTER TABLE stream_collections ADD COLUMN recipient TEXT')
  }
}
