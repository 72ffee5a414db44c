import type { PostgresMigration } from './migration'

/** Migration 5: scheduled sync: job leases and runs, directory sources, siblings, health checks. */
export const migrationScheduledSync: PostgresMigration = {
  version: 5,
  name: 'scheduled sync: job leases and runs, directory sources, siblings, health checks',
  async up (db) {
    await db.query(`
      -- one lease per job: whoever holds an unexpired lease is running it (across processes)
      CREATE TABLE job_leases (
        job text PRIMARY KEY,
        holder text NOT NULL,
        run_id bigint NOT NULL,
        until_ms bigint NOT NULL
      );

      -- every run; a scheduled tick (slot) can be run once, whichever process wins it
      CREATE TABLE job_runs (
        id bigserial PRIMARY KEY,
        job text NOT NULL,
        trigger text NOT NULL,
        slot text,
        holder text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        outcome text NOT NULL,
        counts jsonb NOT NULL,
        error text,
        details jsonb NOT NULL
      );
      CREATE UNIQUE INDEX job_runs_slot ON job_runs (job, slot);
      CREATE INDEX job_runs_job ON job_runs (job, id);

      -- directory sources the admin configured, with conditional-request validators and back-off
      CREATE TABLE sync_sources (
        id text PRIMARY KEY,
        format text NOT NULL,
        url text NOT NULL,
        name text UNIQUE NOT NULL,
        enabled boolean NOT NULL,
        created_at timestamptz NOT NULL,
        etag text,
        last_modified text,
        content_hash text,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        last_counts jsonb
      );

      -- the last good copy of every document a source was read from: bodies to reuse after a 304
      CREATE TABLE sync_documents (
        source_id text NOT NULL REFERENCES sync_sources (id) ON DELETE CASCADE,
        url text NOT NULL,
        position integer NOT NULL,
        etag text,
        last_modified text,
        content_type text NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (source_id, url)
      );

      -- followed co-ops: reachability and NodeInfo of their servers
      CREATE TABLE siblings (
        actor_id text PRIMARY KEY,
        software jsonb,
        nodeinfo jsonb,
        failures integer NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        last_error text,
        unreachable_since timestamptz
      );

      -- co-ops that followed co-ops follow, suggested to the admin
      CREATE TABLE sibling_suggestions (
        actor_id text PRIMARY KEY,
        name text,
        via jsonb NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        dismissed boolean NOT NULL DEFAULT false
      );

      CREATE TABLE health_checks (
        id bigserial PRIMARY KEY,
        service_id text NOT NULL,
        checked_at timestamptz NOT NULL,
        status text NOT NULL,
        probe text NOT NULL,
        latency_ms integer,
        detail text
      );
      CREATE INDEX health_checks_service ON health_checks (service_id, checked_at);
      CREATE INDEX health_checks_checked_at ON health_checks (checked_at);
    `)
    // A fresh install syncs the Internet of Ownership directory out of the box, as on SQLite.
    await db.query('INSERT INTO sync_sources (id, format, url, name, enabled, created_at) VALUES ($1, $2, $3, $4, true, now())', [
      'ioo', 'ioo-csv',
      'https://docs.google.com/spreadsheets/d/1RQTMhPJVVdmE7Yeop1iwYhvj46kgvVJQnn11EPGwzeY/export?format=csv&gid=674927682',
      'ioo.coop/directory'
    ])
  }
}
