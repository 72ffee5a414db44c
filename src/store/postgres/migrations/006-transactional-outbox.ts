import { sqlMigration } from './migration'

/** Migration 6: the transactional outbox's audience resolution jobs. */
export const migrationTransactionalOutbox = sqlMigration(6, 'transactional outbox: audience resolution jobs', `
  -- a published activity whose audience is still to be resolved into deliveries; written in
  -- the publish's own transaction, removed in the one that queues its deliveries
  CREATE TABLE outbox_resolutions (
    id bigserial PRIMARY KEY,
    activity_id text NOT NULL,
    actor_id text NOT NULL,
    body text NOT NULL,
    audience jsonb NOT NULL,
    ordering_key text,
    attempt integer NOT NULL DEFAULT 0,
    after_ms bigint NOT NULL,
    lease_until_ms bigint,
    lease_owner text,
    last_error text,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX outbox_resolutions_due ON outbox_resolutions (after_ms, id);
  CREATE INDEX outbox_resolutions_ordering ON outbox_resolutions (ordering_key, id);
`)
