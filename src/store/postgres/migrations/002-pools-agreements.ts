import { sqlMigration } from './migration'

/**
 * Migration 2: funding pools, pledges and member-exchange agreements. Their times come from
 * federated documents and are kept as the text received (ISO 8601), like the SQLite store.
 */
export const migrationPoolsAgreements = sqlMigration(2, 'funding pools, pledges and member-exchange agreements', `
  CREATE TABLE pools (
    id text PRIMARY KEY,
    steward_id text NOT NULL,
    local boolean NOT NULL,
    status text NOT NULL,
    currency text NOT NULL,
    doc jsonb NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX pools_steward ON pools (steward_id);
  CREATE INDEX pools_updated ON pools (updated_at DESC, id);

  -- pledges, keyed by the Offer both hubs know; value is the exact decimal string
  CREATE TABLE pledges (
    offer_id text PRIMARY KEY,
    pledge_id text UNIQUE,
    pool_id text NOT NULL,
    pledger_id text NOT NULL,
    steward_id text NOT NULL,
    currency text NOT NULL,
    value text NOT NULL,
    recurrence text NOT NULL,
    state text NOT NULL,
    reason text,
    steward_processed boolean NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX pledges_pool ON pledges (pool_id, created_at);
  CREATE INDEX pledges_pledger ON pledges (pledger_id, created_at);

  CREATE TABLE agreements (
    id text PRIMARY KEY,
    status text NOT NULL,
    active_version_id text,
    pending_version_id text,
    termination jsonb,
    updated_at text NOT NULL
  );

  -- position keeps the parties in the order the agreement lists them
  CREATE TABLE agreement_parties (
    agreement_id text NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    party text NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (agreement_id, party)
  );
  CREATE INDEX agreement_parties_party ON agreement_parties (party);

  -- every version (proposal, amendment, termination) with each party's decision on it
  CREATE TABLE agreement_versions (
    id text PRIMARY KEY,
    agreement_id text NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    seq integer NOT NULL,
    author text NOT NULL,
    activity_id text NOT NULL,
    kind text NOT NULL,
    state text NOT NULL,
    decisions jsonb NOT NULL,
    doc jsonb NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX agreement_versions_agreement ON agreement_versions (agreement_id, seq);
  CREATE INDEX agreement_versions_activity ON agreement_versions (activity_id);
`)
