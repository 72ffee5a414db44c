import type { Migration } from './migration'

/** Migration 8: several processes: process registry, owners of delivery leases and inbox journal entries. */
export const migrationSeveralProcesses: Migration = {
  version: 8,
  name: 'several processes: process registry, owners of delivery leases and inbox journal entries',
  up (db) {
    db.exec(`
      -- hub processes sharing this database; what a dead one held is released by the others
      CREATE TABLE hub_processes (
        id TEXT PRIMARY KEY,
        machine TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_ms INTEGER NOT NULL
      );

      -- the process holding a delivery's lease, and the one handling a journal entry (NULL: nobody)
      ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;
      ALTER TABLE inbox_journal ADD COLUMN owner TEXT;
    `)
  }
}
