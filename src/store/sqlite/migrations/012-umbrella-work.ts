import type { Migration } from './migration'

/** Migration 12: umbrella work: shared projects, milestones, commitments, decisions, votes, tallies, allocations. */
export const migrationUmbrellaWork: Migration = {
  version: 12,
  name: 'umbrella work: shared projects, milestones, commitments, decisions, votes, tallies, allocations',
  up (db) {
    db.exec(`
      CREATE TABLE umbrella_projects (
        id TEXT PRIMARY KEY,
        umbrella_id TEXT NOT NULL,
        project_key TEXT NOT NULL,
        name TEXT NOT NULL,
        summary TEXT NOT NULL,
        upstream TEXT,
        pool_ids TEXT NOT NULL,
        approved INTEGER NOT NULL DEFAULT 0,
        local INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (umbrella_id, project_key)
      );

      -- a project's milestones, in the order the umbrella lists them
      CREATE TABLE umbrella_milestones (
        project_id TEXT NOT NULL REFERENCES umbrella_projects(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        due TEXT,
        status TEXT NOT NULL,
        PRIMARY KEY (project_id, position)
      );

      -- hours as exact decimal strings, money as currency + decimal string (summed as integers)
      CREATE TABLE umbrella_commitments (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        hours TEXT,
        currency TEXT,
        value TEXT,
        note TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX umbrella_commitments_project ON umbrella_commitments (project_id, created_at);
      CREATE INDEX umbrella_commitments_member ON umbrella_commitments (member_id);

      CREATE TABLE umbrella_decisions (
        id TEXT PRIMARY KEY,
        umbrella_id TEXT NOT NULL,
        question TEXT NOT NULL,
        options TEXT NOT NULL,
        closes_at TEXT NOT NULL,
        rule TEXT NOT NULL,
        quorum TEXT NOT NULL,
        action TEXT,
        status TEXT NOT NULL,
        action_result TEXT,
        local INTEGER NOT NULL,
        voters_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        closed_at TEXT
      );
      CREATE INDEX umbrella_decisions_umbrella ON umbrella_decisions (umbrella_id, created_at);
      CREATE INDEX umbrella_decisions_due ON umbrella_decisions (status, closes_at);

      -- one current vote per member co-op and decision
      CREATE TABLE umbrella_votes (
        decision_id TEXT NOT NULL REFERENCES umbrella_decisions(id) ON DELETE CASCADE,
        voter_id TEXT NOT NULL,
        choice TEXT NOT NULL,
        note_id TEXT NOT NULL,
        cast_at TEXT NOT NULL,
        PRIMARY KEY (decision_id, voter_id)
      );

      -- the live tally, kept in step with umbrella_votes in the same transaction
      CREATE TABLE umbrella_tallies (
        decision_id TEXT NOT NULL REFERENCES umbrella_decisions(id) ON DELETE CASCADE,
        choice TEXT NOT NULL,
        votes INTEGER NOT NULL,
        PRIMARY KEY (decision_id, choice)
      );

      -- money a passed decision allocated from a pool to a project
      CREATE TABLE umbrella_allocations (
        decision_id TEXT PRIMARY KEY,
        pool_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        value TEXT NOT NULL,
        allocated_at TEXT NOT NULL
      );
      CREATE INDEX umbrella_allocations_pool ON umbrella_allocations (pool_id);
      CREATE INDEX umbrella_allocations_project ON umbrella_allocations (project_id);
    `)
  }
}
