import type { PostgresMigration } from './migration'

/**
 * Migration 13 (SQLite's 18): an inbox membership names the local actor it was received for, so
 * a receipt settled in its one write is known as processed by its row in the recipient's inbox,
 * and remembered when it leaves it.
 */
export const migrationInboxRecipients: PostgresMigration = {
  version: 13,
  name: 'the recipient of an inbox membership',
  async up (db) {
    await db.query('ALTER TABLE stream_collections ADD COLUMN recipient text')
  }
}
