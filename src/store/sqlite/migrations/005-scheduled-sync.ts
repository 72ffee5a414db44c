import type { Migration } from './migration'

/** Migration 5: scheduled sync: job leases and runs, directory sources, siblings, health checks. */
export const migrationScheduledSync: Migration = {
  version: 5,
  name: 'scheduled sync: job leases and runs, directory sources, siblings, health checks',
  up (db) {
    db.exec(`
      -- one lease per job: whoever holds an unexpired lease is running it (across processes)
      CREATE TABLE job_leases (
        job TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        until_ms INTEGER NOT NULL
      );

      -- every run; a scheduled tick (slot) can be run once, whichever process wins it
      CREATE TABLE job_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job TEXT NOT NULL,
        trigger TEXT NOT NULL,
        slot TEXT,
        holder TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT NOT NULL,
        counts TEXT NOT NULL,
        error TEXT,
        details TEXT NOT NULL
      );
      CREATE UNIQUE INDEX job_runs_slot ON job_runs(job, slot);
      CREATE INDEX job_runs_job ON job_runs(job, id);

      -- directory sources the admin configured, with conditional-request validators and back-off
      CREATE TABLE sync_sources (
        id TEXT PRIMARY KEY,
        format TEXT NOT NULL,
        url TEXT NOT NULL,
        name TEXT UNIQUE NOT NULL,
        enabled INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        content_hash TEXT,
        last_attempt_at TEXT,
        last_success_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        last_counts TEXT
      );

      -- the last good copy of every document a source was read from: bodies to reuse after a 304
      CREATE TABLE sync_documents (
        source_id TEXT NOT NULL REFERENCES sync_sources(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        content_type TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (source_id, url)
      );

      -- followed co-ops: reachability and NodeInfo of their servers
      CREATE TABLE siblings (
        actor_id TEXT PRIMARY KEY,
        software TEXT,
        nodeinfo TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        unreachable_since TEXT
      );

      -- co-ops that followed co-ops follow, suggested to the admin
      CREATE TABLE sibling_suggestions (
        actor_id TEXT PRIMARY KEY,
        name TEXT,
        via TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        dismissed INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE health_checks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        service_id TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        status TEXT NOT NULL,
        probe TEXT NOT NULL,
        latency_ms INTEGER,
        detail TEXT
      );
      CREATE INDEX health_checks_service ON health_checks(service_id, checked_at);
      CREATE INDEX health_checks_checked_at ON health_checks(checked_at);
    `)
    // A fresh install syncs the Internet of Ownership directory out of the box: the CSV export
    // of its Google Sheet (the sheet named in the IoO research note).
    db.prepare('INSERT INTO sync_sources (id, format, url, name, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)').run(
      'ioo', 'ioo-csv',
      'https://docs.google.com/spreadsheets/d/1RQTMhPJVVdmE7Yeop1iwYhvj46kgvVJQnn11EPGwzeY/export?format=csv&gid=674927682',
      'ioo.coop/directory', new Date().toISOString())
  }
}
