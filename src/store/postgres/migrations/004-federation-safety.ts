import { sqlMigration } from './migration'

/** Migration 4: domain blocks, the inbox journal, and the registry of hub processes. */
export const migrationFederationSafety = sqlMigration(4, 'domain blocks, inbox journal, process registry', `
  -- domains the admin refuses to federate with (host, or host:port for one origin)
  CREATE TABLE domain_blocks (
    domain text PRIMARY KEY,
    reason text NOT NULL,
    created_at timestamptz NOT NULL
  );

  -- received activities whose handlers have not finished, per verified sender and local recipient;
  -- owner is the process handling it (NULL: nobody, any process may finish it)
  CREATE TABLE inbox_journal (
    sender text NOT NULL,
    activity_id text NOT NULL,
    recipient_id text NOT NULL,
    received_at timestamptz NOT NULL,
    owner text,
    PRIMARY KEY (sender, activity_id, recipient_id)
  );
  CREATE INDEX inbox_journal_received ON inbox_journal (received_at);

  -- (sender, activity, recipient) an inbox finished, kept at least as long as a signature stays valid
  CREATE TABLE inbox_processed (
    sender text NOT NULL,
    activity_id text NOT NULL,
    recipient_id text NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (sender, activity_id, recipient_id)
  );
  CREATE INDEX inbox_processed_at ON inbox_processed (processed_at);

  -- hub processes sharing this database; what a dead one held is released by the others
  CREATE TABLE hub_processes (
    id text PRIMARY KEY,
    machine text NOT NULL,
    pid integer NOT NULL,
    started_at timestamptz NOT NULL,
    heartbeat_ms bigint NOT NULL
  );
`)
