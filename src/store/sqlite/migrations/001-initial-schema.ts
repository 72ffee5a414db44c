import type { Migration } from './migration'

/** Migration 1: initial schema. */
export const migrationInitialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up (db) {
    db.exec(`
      -- apex's object cache and local actors; _meta (private keys) lives apart from the doc
      CREATE TABLE objects (
        id TEXT PRIMARY KEY,
        type TEXT,
        doc TEXT NOT NULL,
        meta TEXT,
        local_actor INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX objects_local_actor ON objects(local_actor, type);

      -- apex's activities; seq orders streams and is the page cursor
      CREATE TABLE streams (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT UNIQUE NOT NULL,
        type TEXT,
        actor_id TEXT,
        object_id TEXT,
        doc TEXT NOT NULL,
        meta TEXT
      );
      CREATE INDEX streams_actor_id ON streams(actor_id);
      CREATE INDEX streams_object_id ON streams(object_id);

      -- mirror of _meta.collection, so collection pages are an index range scan
      CREATE TABLE stream_collections (
        collection TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES streams(seq) ON DELETE CASCADE,
        PRIMARY KEY (collection, seq)
      );
      CREATE INDEX stream_collections_seq ON stream_collections(seq);

      -- ids of objects embedded in an activity's object array, to find copies to refresh
      -- on update (MongoDB's 'object.id' index)
      CREATE TABLE stream_embedded_objects (
        object_id TEXT NOT NULL,
        seq INTEGER NOT NULL REFERENCES streams(seq) ON DELETE CASCADE,
        PRIMARY KEY (object_id, seq)
      );
      CREATE INDEX stream_embedded_objects_seq ON stream_embedded_objects(seq);

      CREATE TABLE contexts (
        document_url TEXT PRIMARY KEY,
        context_url TEXT,
        document TEXT NOT NULL
      );

      -- outgoing deliveries; a row stays until delivered or failed for good (crash-safe)
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        actor_id TEXT NOT NULL,
        address TEXT NOT NULL,
        body TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        after_ms INTEGER NOT NULL,
        lease_until_ms INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX deliveries_after ON deliveries(after_ms, id);

      -- id is the failed delivery's id (AUTOINCREMENT never reuses one)
      CREATE TABLE delivery_failures (
        id INTEGER PRIMARY KEY,
        actor_id TEXT NOT NULL,
        address TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL
      );
      CREATE INDEX delivery_failures_failed_at ON delivery_failures(failed_at);

      CREATE TABLE coops (
        username TEXT PRIMARY KEY,
        actor_id TEXT UNIQUE NOT NULL,
        follow_policy TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE services (
        id TEXT PRIMARY KEY,
        actor_id TEXT NOT NULL,
        category TEXT NOT NULL,
        local INTEGER NOT NULL,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX services_actor_id ON services(actor_id);
      CREATE INDEX services_category ON services(category);

      CREATE TABLE outgoing_follows (
        follow_id TEXT PRIMARY KEY,
        local_actor_id TEXT NOT NULL,
        target_actor_id TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX outgoing_follows_pair ON outgoing_follows(local_actor_id, target_actor_id);
      CREATE INDEX outgoing_follows_target ON outgoing_follows(target_actor_id, state);

      CREATE TABLE follow_requests (
        follow_id TEXT PRIMARY KEY,
        local_actor_id TEXT NOT NULL,
        remote_actor_id TEXT NOT NULL,
        state TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX follow_requests_local ON follow_requests(local_actor_id, state);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `)
  }
}
