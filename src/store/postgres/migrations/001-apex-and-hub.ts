import { sqlMigration } from './migration'

/** Migration 1: apex's objects and activities, the delivery queue, co-ops, tokens, services, follows, settings. */
export const migrationApexAndHub = sqlMigration(1, 'apex documents, delivery queue, co-ops, tokens, services, follows, settings', `
  -- apex's object cache and local actors; meta (private keys) lives apart from the document
  CREATE TABLE objects (
    id text PRIMARY KEY,
    type text,
    doc jsonb NOT NULL,
    meta jsonb,
    local_actor boolean NOT NULL DEFAULT false
  );
  CREATE INDEX objects_local_actor ON objects (local_actor, type);

  -- apex's activities; seq orders streams and is the page cursor
  CREATE TABLE streams (
    seq bigserial PRIMARY KEY,
    id text UNIQUE NOT NULL,
    type text,
    actor_id text,
    object_id text,
    doc jsonb NOT NULL,
    meta jsonb
  );
  CREATE INDEX streams_actor_id ON streams (actor_id);
  CREATE INDEX streams_object_id ON streams (object_id);

  -- mirror of meta.collection, so collection pages are an index range scan
  CREATE TABLE stream_collections (
    collection text NOT NULL,
    seq bigint NOT NULL REFERENCES streams (seq) ON DELETE CASCADE,
    PRIMARY KEY (collection, seq)
  );
  CREATE INDEX stream_collections_seq ON stream_collections (seq);

  -- ids of objects embedded in an activity's object array, to find copies to refresh on update
  CREATE TABLE stream_embedded_objects (
    object_id text NOT NULL,
    seq bigint NOT NULL REFERENCES streams (seq) ON DELETE CASCADE,
    PRIMARY KEY (object_id, seq)
  );
  CREATE INDEX stream_embedded_objects_seq ON stream_embedded_objects (seq);

  CREATE TABLE contexts (
    document_url text PRIMARY KEY,
    context_url text,
    document jsonb NOT NULL
  );

  -- outgoing deliveries; a row stays until delivered or failed for good (crash-safe).
  -- after_ms and lease_until_ms are the processes' clock in milliseconds, compared with it.
  CREATE TABLE deliveries (
    id bigserial PRIMARY KEY,
    actor_id text NOT NULL,
    address text NOT NULL,
    host text,
    body text NOT NULL,
    activity_id text,
    ordering_key text,
    attempt integer NOT NULL DEFAULT 0,
    after_ms bigint NOT NULL,
    lease_until_ms bigint,
    lease_owner text,
    last_error text,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX deliveries_after ON deliveries (after_ms, id);
  CREATE INDEX deliveries_ordering ON deliveries (ordering_key, address, id);
  CREATE INDEX deliveries_host ON deliveries (host);
  CREATE INDEX deliveries_lease_owner ON deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
  -- one delivery per activity and inbox, however often its audience is resolved
  CREATE UNIQUE INDEX deliveries_activity_address ON deliveries (activity_id, address) WHERE activity_id IS NOT NULL;

  -- id is the failed delivery's id (a sequence never hands one out twice)
  CREATE TABLE delivery_failures (
    id bigint PRIMARY KEY,
    actor_id text NOT NULL,
    address text NOT NULL,
    host text,
    attempt integer NOT NULL,
    reason text NOT NULL,
    failed_at timestamptz NOT NULL
  );
  CREATE INDEX delivery_failures_failed_at ON delivery_failures (failed_at);
  CREATE INDEX delivery_failures_host ON delivery_failures (host);

  CREATE TABLE coops (
    username text PRIMARY KEY,
    actor_id text UNIQUE NOT NULL,
    follow_policy text NOT NULL,
    created_at timestamptz NOT NULL
  );

  CREATE TABLE tokens (
    hash text PRIMARY KEY,
    scope text NOT NULL,
    label text NOT NULL,
    created_at timestamptz NOT NULL
  );

  CREATE TABLE services (
    id text PRIMARY KEY,
    actor_id text NOT NULL,
    category text NOT NULL,
    local boolean NOT NULL,
    doc jsonb NOT NULL,
    updated_at timestamptz NOT NULL
  );
  CREATE INDEX services_actor_id ON services (actor_id);
  CREATE INDEX services_category ON services (category);

  CREATE TABLE outgoing_follows (
    follow_id text PRIMARY KEY,
    local_actor_id text NOT NULL,
    target_actor_id text NOT NULL,
    state text NOT NULL,
    updated_at timestamptz NOT NULL
  );
  CREATE INDEX outgoing_follows_pair ON outgoing_follows (local_actor_id, target_actor_id);
  CREATE INDEX outgoing_follows_target ON outgoing_follows (target_actor_id, state);

  CREATE TABLE follow_requests (
    follow_id text PRIMARY KEY,
    local_actor_id text NOT NULL,
    remote_actor_id text NOT NULL,
    state text NOT NULL,
    received_at timestamptz NOT NULL
  );
  CREATE INDEX follow_requests_local ON follow_requests (local_actor_id, state);

  CREATE TABLE settings (
    key text PRIMARY KEY,
    value text NOT NULL
  );
`)
