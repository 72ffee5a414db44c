import { sqlMigration } from './migration'

/**
 * Migration 3: the directory of participating clouds, with PostgreSQL's own full-text search.
 * `unaccent` is a trusted extension (PostgreSQL 13+): the database's owner creates it, no
 * superuser needed. Every statement here runs on PostgreSQL 13. unaccent() itself is not
 * immutable, so a generated column cannot call it; `hub_unaccent` pins the dictionary and is
 * declared immutable. The entry's search text is kept
 * in plain columns, and `search` (weighted tsvector, GIN index) is generated from them.
 * `hub_search` is PostgreSQL's English configuration (Snowball stemming, as SQLite's porter)
 * without its stop-word list: as on SQLite, every word a visitor types must match, "the" too.
 */
export const migrationDirectory = sqlMigration(3, 'directory of participating clouds, full-text search', `
  CREATE EXTENSION IF NOT EXISTS unaccent;
  -- A quoted body (a RETURN body needs PostgreSQL 14), naming unaccent's schema: it is read
  -- at each call, also under pg_restore's empty search_path.
  DO $create$
  DECLARE home text := (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent');
  BEGIN
    EXECUTE format($fn$CREATE FUNCTION hub_unaccent (text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $body$ SELECT %1$s.unaccent(%2$L::regdictionary, $1) $body$$fn$, home, home || '.unaccent');
  END
  $create$;
  CREATE TEXT SEARCH DICTIONARY hub_english_stem (TEMPLATE = snowball, Language = english);
  CREATE TEXT SEARCH CONFIGURATION hub_search (COPY = english);
  ALTER TEXT SEARCH CONFIGURATION hub_search ALTER MAPPING REPLACE english_stem WITH hub_english_stem;

  -- what each source (this hub, a followed hub, an imported directory) says about a cloud;
  -- canonical is the normalised website that decides which entry the record merges into.
  -- Times come with the records and are kept as ISO text.
  CREATE TABLE directory_sources (
    source text NOT NULL,
    source_id text NOT NULL,
    kind text NOT NULL,
    canonical text NOT NULL,
    doc jsonb NOT NULL,
    hash text NOT NULL,
    retrieved_at text NOT NULL,
    seen_at text NOT NULL,
    gone_at text,
    PRIMARY KEY (source, source_id)
  );
  CREATE INDEX directory_sources_canonical ON directory_sources (canonical);
  CREATE INDEX directory_sources_source_id ON directory_sources (source_id);

  -- one merged entry per canonical website, with its (facet, value) pairs and search text;
  -- the sort columns compare by bytes (COLLATE "C"), as SQLite does, whatever the database's locale
  CREATE TABLE directory_entries (
    entry_key bigserial PRIMARY KEY,
    id text COLLATE "C" UNIQUE NOT NULL,
    canonical text UNIQUE NOT NULL,
    name_key text COLLATE "C" NOT NULL,
    kind_rank integer NOT NULL,
    updated_at text COLLATE "C" NOT NULL,
    doc jsonb NOT NULL,
    facets text[] NOT NULL DEFAULT '{}',
    name text NOT NULL DEFAULT '',
    summary text NOT NULL DEFAULT '',
    tags text NOT NULL DEFAULT '',
    services text NOT NULL DEFAULT '',
    place text NOT NULL DEFAULT '',
    search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('hub_search', hub_unaccent(name)), 'A') ||
      setweight(to_tsvector('hub_search', hub_unaccent(tags)), 'A') ||
      setweight(to_tsvector('hub_search', hub_unaccent(services)), 'B') ||
      setweight(to_tsvector('hub_search', hub_unaccent(summary)), 'C') ||
      setweight(to_tsvector('hub_search', hub_unaccent(place)), 'D')
    ) STORED
  );
  CREATE INDEX directory_entries_search ON directory_entries USING gin (search);
  -- facets holds 'facet=value' strings: filters are array containment on a GIN index
  CREATE INDEX directory_entries_facets ON directory_entries USING gin (facets);
  CREATE INDEX directory_entries_browse ON directory_entries (kind_rank, name_key, id);
  CREATE INDEX directory_entries_name ON directory_entries (name_key, id);
  CREATE INDEX directory_entries_updated ON directory_entries (updated_at, id);

  -- grows with every change to the entries: caches and ETags key on it
  CREATE TABLE directory_state (
    id integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
  );
  INSERT INTO directory_state (id, version) VALUES (1, 0);
`)
