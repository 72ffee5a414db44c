import { sqlMigration } from './migration'

/**
 * Migration 7: umbrella organisations, memberships, shared projects, decisions, votes, tallies,
 * allocations, progress posts and sent votes. Times of federated records stay ISO text.
 */
export const migrationUmbrellas = sqlMigration(7, 'umbrellas: memberships, projects, decisions, votes, notes', `
  -- local umbrellas; their actor and token are registered like a co-op's (table coops)
  CREATE TABLE umbrellas (
    username text PRIMARY KEY,
    actor_id text UNIQUE NOT NULL,
    membership_policy text NOT NULL,
    created_at text NOT NULL
  );

  -- one row per (umbrella, member): authoritative on the umbrella's hub, a copy elsewhere
  CREATE TABLE umbrella_memberships (
    umbrella_actor_id text NOT NULL,
    member_actor_id text NOT NULL,
    state text NOT NULL,
    join_activity_id text,
    updated_at text NOT NULL,
    PRIMARY KEY (umbrella_actor_id, member_actor_id)
  );
  CREATE INDEX umbrella_memberships_member ON umbrella_memberships (member_actor_id);
  CREATE INDEX umbrella_memberships_join ON umbrella_memberships (join_activity_id);

  CREATE TABLE umbrella_projects (
    id text PRIMARY KEY,
    umbrella_id text NOT NULL,
    project_key text NOT NULL,
    name text NOT NULL,
    summary text NOT NULL,
    upstream jsonb,
    pool_ids jsonb NOT NULL,
    approved boolean NOT NULL DEFAULT false,
    local boolean NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    UNIQUE (umbrella_id, project_key)
  );

  -- a project's milestones, in the order the umbrella lists them
  CREATE TABLE umbrella_milestones (
    project_id text NOT NULL REFERENCES umbrella_projects (id) ON DELETE CASCADE,
    position integer NOT NULL,
    name text NOT NULL,
    due text,
    status text NOT NULL,
    PRIMARY KEY (project_id, position)
  );

  -- hours as exact decimal strings, money as currency + decimal string
  CREATE TABLE umbrella_commitments (
    id text PRIMARY KEY,
    project_id text NOT NULL,
    member_id text NOT NULL,
    hours text,
    currency text,
    value text,
    note text,
    created_at text NOT NULL
  );
  CREATE INDEX umbrella_commitments_project ON umbrella_commitments (project_id, created_at);
  CREATE INDEX umbrella_commitments_member ON umbrella_commitments (member_id);

  CREATE TABLE umbrella_decisions (
    id text PRIMARY KEY,
    umbrella_id text NOT NULL,
    question text NOT NULL,
    options jsonb NOT NULL,
    closes_at text NOT NULL,
    rule text NOT NULL,
    quorum text NOT NULL,
    action jsonb,
    status text NOT NULL,
    action_result text,
    local boolean NOT NULL,
    voters_count integer NOT NULL DEFAULT 0,
    created_at text NOT NULL,
    closed_at text
  );
  CREATE INDEX umbrella_decisions_umbrella ON umbrella_decisions (umbrella_id, created_at);
  CREATE INDEX umbrella_decisions_due ON umbrella_decisions (status, closes_at);

  -- one current vote per member co-op and decision
  CREATE TABLE umbrella_votes (
    decision_id text NOT NULL REFERENCES umbrella_decisions (id) ON DELETE CASCADE,
    voter_id text NOT NULL,
    choice text NOT NULL,
    note_id text NOT NULL,
    cast_at text NOT NULL,
    PRIMARY KEY (decision_id, voter_id)
  );

  -- the live tally, kept in step with umbrella_votes in the same transaction
  CREATE TABLE umbrella_tallies (
    decision_id text NOT NULL REFERENCES umbrella_decisions (id) ON DELETE CASCADE,
    choice text NOT NULL,
    votes integer NOT NULL,
    PRIMARY KEY (decision_id, choice)
  );

  -- money a passed decision allocated from a pool to a project
  CREATE TABLE umbrella_allocations (
    decision_id text PRIMARY KEY,
    pool_id text NOT NULL,
    project_id text NOT NULL,
    currency text NOT NULL,
    value text NOT NULL,
    allocated_at text NOT NULL
  );
  CREATE INDEX umbrella_allocations_pool ON umbrella_allocations (pool_id);
  CREATE INDEX umbrella_allocations_project ON umbrella_allocations (project_id);

  -- the umbrella's progress posts (Notes with a project as context), its own and copies
  CREATE TABLE umbrella_progress_posts (
    id text PRIMARY KEY,
    project_id text NOT NULL,
    umbrella_id text NOT NULL,
    content text NOT NULL,
    published text NOT NULL
  );
  CREATE INDEX umbrella_progress_posts_project ON umbrella_progress_posts (project_id, published);

  -- votes a local co-op sent, and why the umbrella refused one (null while not refused)
  CREATE TABLE umbrella_sent_votes (
    note_id text PRIMARY KEY,
    decision_id text NOT NULL,
    voter_id text NOT NULL,
    choice text NOT NULL,
    sent_at text NOT NULL,
    refused_reason text
  );
  CREATE INDEX umbrella_sent_votes_voter ON umbrella_sent_votes (voter_id, sent_at);
`)
