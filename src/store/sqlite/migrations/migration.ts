import type Database from 'better-sqlite3'

/** One schema change: `up` runs inside a transaction that also records the version. */
export interface Migration {
  version: number
  name: string
  up (db: Database.Database): void
}
