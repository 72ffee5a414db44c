import type { Migration } from './migration'

/** Migration 3: directory of participating clouds. */
export const migrationDirectory: Migration = {
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
}
