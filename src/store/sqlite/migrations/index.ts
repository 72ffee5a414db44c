/**
 * Versioned schema migrations for the SQLite store, one file each. Each migration runs once, in
 * its own transaction, and is recorded in `schema_migrations`; append new ones, never edit
 * applied ones. (No migration has the number 6.)
 */
import type Database from 'better-sqlite3'
import type { Migration } from './migration'
import { migrationInitialSchema } from './001-initial-schema'
import { migrationPoolsAgreements } from './002-pools-agreements'
import { migrationDirectory } from './003-directory'
import { migrationFederationSafety } from './004-federation-safety'
import { migrationScheduledSync } from './005-scheduled-sync'
import { migrationDirectorySearch } from './007-directory-search'
import { migrationSeveralProcesses } from './008-several-processes'
import { migrationInboxSenders } from './009-inbox-senders'
import { migrationTransactionalOutbox } from './010-transactional-outbox'
import { migrationUmbrellas } from './011-umbrellas'
import { migrationUmbrellaWork } from './012-umbrella-work'
import { migrationUmbrellaNotes } from './013-umbrella-notes'
import { migrationPoolCopies } from './014-pool-copies'
import { migrationPagedAudiences } from './015-paged-audiences'
import { migrationMembershipTargets } from './016-membership-targets'
import { migrationDeliveryBodies } from './017-delivery-bodies'
import { migrationInboxRecipients } from './018-inbox-recipients'
import { migrationKeyedMemberships } from './019-keyed-memberships'
import { migrationChangeStamps } from './020-change-stamps'
import { migrationInboxMembershipsUntargeted } from './021-inbox-memberships-untargeted'
import { migrationFollowActorIndex } from './022-follow-actor-index'
import { migrationBlockedCollectionsStamp } from './023-blocked-collections-stamp'

export type { Migration } from './migration'

/** Every migration, in the order it must be applied. */
export const migrations: readonly Migration[] = [
  migrationInitialSchema,
  migrationPoolsAgreements,
  migrationDirectory,
  migrationFederationSafety,
  migrationScheduledSync,
  migrationDirectorySearch,
  migrationSeveralProcesses,
  migrationInboxSenders,
  migrationTransactionalOutbox,
  migrationUmbrellas,
  migrationUmbrellaWork,
  migrationUmbrellaNotes,
  migrationPoolCopies,
  migrationPagedAudiences,
  migrationMembershipTargets,
  migrationDeliveryBodies,
  migrationInboxRecipients,
  migrationKeyedMemberships,
  migrationChangeStamps,
  migrationInboxMembershipsUntargeted,
  migrationFollowActorIndex,
  migrationBlockedCollectionsStamp
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
