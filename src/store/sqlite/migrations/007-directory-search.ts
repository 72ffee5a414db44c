import type { Migration } from './migration'

/** Migration 7: directory search: each entry's facet pairs in one narrow row, and the browse order as an index. */
export const migrationDirectorySearch: Migration = {
  version: 7,
  name: 'directory search: each entry\'s facet pairs in one narrow row, and the browse order as an index',
  up (db) {
    db.exec(`
      -- an entry's (facet, value) pairs in one row (encoding in facet-pairs.ts): a search
      -- counts every facet in one pass over its matches, not one index walk per facet
      CREATE TABLE directory_entry_facets (
        entry_rowid INTEGER PRIMARY KEY REFERENCES directory_entries(rowid) ON DELETE CASCADE,
        pairs TEXT NOT NULL
      );
      INSERT INTO directory_entry_facets (entry_rowid, pairs)
        SELECT entry_rowid, group_concat(facet || char(31) || replace(replace(value, char(30), ' '), char(31), ' '), char(30))
        FROM directory_facets GROUP BY entry_rowid;

      -- a search without words lists co-op clouds first, then by name: read in order, not sorted
      CREATE INDEX directory_entries_browse ON directory_entries(kind_rank, name_key, id);
    `)
  }
}
