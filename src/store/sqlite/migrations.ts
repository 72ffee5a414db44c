/**
 * Versioned schema migrations for the SQLite store. Each migration runs once, in its own
 * transaction, and is recorded in `schema_migrations`; append new ones, never edit applied ones.
 */
import type Database from 'better-sqlite3'

/** One schema change: `up` runs inside a transaction that also records the version. */
export interface Migration {
  version: number
  name: string
  up (db: Database.Database): void
}

/** Every migration, in the order it must be applied. */
export const migrations: readonly Migration[] = [
  {
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
  },
  {
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
  },
  {
    version: 3,
    name: 'directory of participating clouds',
    up (db) {
      db.exec(`
        -- what each source (this hub, a followed hub, an imported directory) says about a cloud;
        -- canonical is the normalised website that decides which entry the record merges into
        CREATE TABLE directory_sources (
          source TEXT NOT NULL,
          source_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          canonical TEXT NOT NULL,
          doc TEXT NOT NULL,
          hash TEXT NOT NULL,
          retrieved_at TEXT NOT NULL,
          seen_at TEXT NOT NULL,
          gone_at TEXT,
          PRIMARY KEY (source, source_id)
        );
        CREATE INDEX directory_sources_canonical ON directory_sources(canonical);
        CREATE INDEX directory_sources_source_id ON directory_sources(source_id);

        -- one merged entry per canonical website; the rowid is shared with the full-text index
        CREATE TABLE directory_entries (
          rowid INTEGER PRIMARY KEY,
          id TEXT UNIQUE NOT NULL,
          canonical TEXT UNIQUE NOT NULL,
          name_key TEXT NOT NULL,
          kind_rank INTEGER NOT NULL,
          updated_at TEXT NOT NULL,
          doc TEXT NOT NULL
        );
        CREATE INDEX directory_entries_name ON directory_entries(name_key, id);
        CREATE INDEX directory_entries_updated ON directory_entries(updated_at, id);

        -- (facet, value) pairs of each entry: the filters and the facet counts
        CREATE TABLE directory_facets (
          facet TEXT NOT NULL,
          value TEXT NOT NULL,
          entry_rowid INTEGER NOT NULL REFERENCES directory_entries(rowid) ON DELETE CASCADE,
          PRIMARY KEY (facet, value, entry_rowid)
        );
        CREATE INDEX directory_facets_entry ON directory_facets(entry_rowid);

        CREATE VIRTUAL TABLE directory_fts USING fts5(
          name, summary, tags, services, place,
          tokenize = 'porter unicode61 remove_diacritics 2'
        );

        -- grows with every change to the entries: caches and ETags key on it
        CREATE TABLE directory_state (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          version INTEGER NOT NULL
        );
        INSERT INTO directory_state (id, version) VALUES (1, 0);
      `)
    }
  },
  {
    version: 4,
    name: 'federation safety: domain blocks, inbox journal, delivery ordering and hosts',
    up (db) {
      db.exec(`
        -- domains the admin refuses to federate with (host, or host:port for one origin)
        CREATE TABLE domain_blocks (
          domain TEXT PRIMARY KEY,
          reason TEXT NOT NULL,
          created_at TEXT NOT NULL
        );

        -- received activities whose handlers have not finished, per local recipient
        CREATE TABLE inbox_journal (
          activity_id TEXT NOT NULL,
          recipient_id TEXT NOT NULL,
          received_at TEXT NOT NULL,
          PRIMARY KEY (activity_id, recipient_id)
        );
        CREATE INDEX inbox_journal_received ON inbox_journal(received_at);

        -- deliveries of one object to one inbox leave in the order queued; host groups the admin view
        ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
        ALTER TABLE deliveries ADD COLUMN host TEXT;
        CREATE INDEX deliveries_ordering ON deliveries(ordering_key, address, id);
        CREATE INDEX deliveries_host ON deliveries(host);
        ALTER TABLE delivery_failures ADD COLUMN host TEXT;
        CREATE INDEX delivery_failures_host ON delivery_failures(host);
      `)
      // Rows queued before this version get their host from their address.
      const hostOf = (address: string): string | null => { try { return new URL(address).host.toLowerCase() } catch { return null } }
      for (const table of ['deliveries', 'delivery_failures']) {
        const rows = db.prepare<[], { id: number, address: string }>(`SELECT id, address FROM ${table}`).all()
        const set = db.prepare<[string | null, number]>(`UPDATE ${table} SET host = ? WHERE id = ?`)
        for (const row of rows) set.run(hostOf(row.address), row.id)
      }
    }
  },
  {
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
  },
  {
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
]

/** Applies the migrations `db` lacks, each in its own transaction; answers the versions applied. */
export function migrate (db: Database.Database, all: readonly Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?')
  const record = db.prepare<[number, string, string]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  const applied: number[] = []
  for (const migration of [...all].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock before the check, so two processes opening one file
    // cannot both apply the same migration.
    db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return
      migration.up(db)
      record.run(migration.version, migration.name, new Date().toISOString())
      applied.push(migration.version)
    }).immediate()
  }
  return applied
}
