import type { Migration } from './migration'

/** Migration 13: progress posts of shared projects, and the votes a hub's co-ops sent with the umbrella's answer. */
export const migrationUmbrellaNotes: Migration = {
  version: 13,
  name: 'umbrella notes: progress posts per project, votes sent by local co-ops',
  up (db) {
    db.exec(`
      -- the umbrella's progress posts (Notes with a project as context), its own and copies
      CREATE TABLE umbrella_progress_posts (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        umbrella_id TEXT NOT NULL,
        content TEXT NOT NULL,
        published TEXT NOT NULL
      );
      CREATE INDEX umbrella_progress_posts_project ON umbrella_progress_posts (project_id, published);

      -- votes a local co-op sent, and why the umbrella refused one (null while not refused)
      CREATE TABLE umbrella_sent_votes (
        note_id TEXT PRIMARY KEY,
        decision_id TEXT NOT NULL,
        voter_id TEXT NOT NULL,
        choice TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        refused_reason TEXT
      );
      CREATE INDEX umbrella_sent_votes_voter ON umbrella_sent_votes (voter_id, sent_at);
    `)
  }
}
