import type { Migration } from './migration'

/** Migration 11: umbrella organisations and memberships (the umbrella's own and copies kept by member hubs). */
export const migrationUmbrellas: Migration = {
  version: 11,
  name: 'umbrella organisations and memberships',
  up (db) {
    db.exec(`
      -- local umbrellas; their actor and token are registered like a co-op's (table coops)
      CREATE TABLE umbrellas (
        username TEXT PRIMARY KEY,
        actor_id TEXT UNIQUE NOT NULL,
        membership_policy TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      -- one row per (umbrella, member): authoritative on the umbrella's hub, a copy elsewhere
      CREATE TABLE umbrella_memberships (
        umbrella_actor_id TEXT NOT NULL,
        member_actor_id TEXT NOT NULL,
        state TEXT NOT NULL,
        join_activity_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (umbrella_actor_id, member_actor_id)
      );
      CREATE INDEX umbrella_memberships_member ON umbrella_memberships (member_actor_id);
      CREATE INDEX umbrella_memberships_join ON umbrella_memberships (join_activity_id);
    `)
  }
}
