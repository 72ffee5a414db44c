/**
 * Versioned schema migrations for the PostgreSQL store, one file each. Each runs once, in its
 * own transaction, and is recorded in `schema_migrations`; append new ones, never edit applied
 * ones. The whole run holds a session advisory lock, so hub processes starting at the same
 * moment on several machines apply each migration once: the others wait, then find it applied.
 * The numbering is the PostgreSQL store's own (it starts from SQLite's final schema).
 */
import type { PostgresDatabase } from '../postgres-database'
import type { PostgresMigration } from './migration'
import { migrationApexAndHub } from './001-apex-and-hub'
import { migrationPoolsAgreements } from './002-pools-agreements'
import { migrationDirectory } from './003-directory'
import { migrationFederationSafety } from './004-federation-safety'
import { migrationScheduledSync } from './005-scheduled-sync'
import { migrationTransactionalOutbox } from './006-transactional-outbox'
import { migrationUmbrellas } from './007-umbrellas'
import { migrationPoolCopies } from './008-pool-copies'
import { migrationPagedAudiences } from './009-paged-audiences'
import { migrationMembershipTargets } from './010-membership-targets'
import { migrationDeferredCollectionCounts } from './011-deferred-collection-counts'
import { migrationDeliveryBodies } from './012-delivery-bodies'
import { migrationInboxRecipients } from './013-inbox-recipients'

export type { PostgresMigration } from './migration'

/** Every migration, in the order it must be applied. */
export const postgresMigrations: readonly PostgresMigration[] = [
  migrationApexAndHub,
  migrationPoolsAgreements,
  migrationDirectory,
  migrationFederationSafety,
  migrationScheduledSync,
  migrationTransactionalOutbox,
  migrationUmbrellas,
  migrationPoolCopies,
  migrationPagedAudiences,
  migrationMembershipTargets,
  migrationDeferredCollectionCounts,
  migrationDeliveryBodies,
  migrationInboxRecipients
]

/** The advisory lock key the migrations are applied under ("ioom" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x696f6f6d

/** Applies the migrations the database lacks; answers the versions this call applied. */
export async function migratePostgres (database: PostgresDatabase, all: readonly PostgresMigration[] = postgresMigrations): Promise<number[]> {
  const client = await database.pool.connect()
  const applied: number[] = []
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(r => r.version))
      for (const migration of [...all].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue
        await client.query('BEGIN')
        try {
          await migration.up(client)
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
          await client.query('COMMIT')
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {})
          throw err
        }
        applied.push(migration.version)
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
    }
  } finally {
    client.release()
  }
  return applied
}
