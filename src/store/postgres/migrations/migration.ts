import type { Queryable } from '../postgres-database'

/** One schema change: `up` runs inside a transaction that also records the version. */
export interface PostgresMigration {
  version: number
  name: string
  up (db: Queryable): Promise<void>
}

/** A migration that is one SQL script. */
export function sqlMigration (version: number, name: string, sql: string): PostgresMigration {
  return { version, name, up: async db => { await db.query(sql) } }
}
