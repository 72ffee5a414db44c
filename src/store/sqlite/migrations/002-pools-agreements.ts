import type { Migration } from './migration'

/** Migration 2: funding pools, pledges and member-exchange agreements. */
export const migrationPoolsAgreements: Migration = {
  version: 2,
  name: 'funding pools, pledges and member-exchange agreements',
  up (db) {
    db.exec(`
      -- pools this hub stewards (local) or learned from a steward; doc is the federated object
      CREATE TABLE pools (
        id TEXT PRIMARY KEY,
        steward_id TEXT NOT NULL,
        local INTEGER NOT NULL,
        status TEXT NOT NULL,
        currency TEXT NOT NULL,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX pools_steward ON pools(steward_id);

      -- pledges, keyed by the Offer both hubs know; value is the exact decimal string
      CREATE TABLE pledges (
        offer_id TEXT PRIMARY KEY,
        pledge_id TEXT UNIQUE,
        pool_id TEXT NOT NULL,
        pledger_id TEXT NOT NULL,
        steward_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        value TEXT NOT NULL,
        recurrence TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        steward_processed INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX pledges_pool ON pledges(pool_id);
      CREATE INDEX pledges_pledger ON pledges(pledger_id);

      CREATE TABLE agreements (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        active_version_id TEXT,
        pending_version_id TEXT,
        termination TEXT,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE agreement_parties (
        agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
        party TEXT NOT NULL,
        PRIMARY KEY (agreement_id, party)
      );
      CREATE INDEX agreement_parties_party ON agreement_parties(party);

      -- every version (proposal, amendment, termination) with each party's decision on it
      CREATE TABLE agreement_versions (
        id TEXT PRIMARY KEY,
        agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        author TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        decisions TEXT NOT NULL,
        doc TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX agreement_versions_agreement ON agreement_versions(agreement_id, seq);
      CREATE INDEX agreement_versions_activity ON agreement_versions(activity_id);
    `)
  }
}
