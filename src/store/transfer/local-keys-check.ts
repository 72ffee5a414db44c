/**
 * A check beside the per-table counts: actors' private keys live in the objects table's meta,
 * so a copy that lost them would still count as many objects. Counted on both sides, the local
 * actors that still hold a key are compared like a table's rows.
 */
import type Database from 'better-sqlite3'
import type { Queryable } from '../postgres/postgres-database'

/** The label of the check in migrate's count table. */
export const LOCAL_KEYS_CHECK = 'local actors with a private key'

/** Local actors of a SQLite store whose meta holds a private key. */
export function sqliteLocalKeys (db: Database.Database): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM objects WHERE local_actor = 1 AND json_extract(meta, '$.privateKey') IS NOT NULL").get() as { n: number }).n
}

/** Local actors of a PostgreSQL store whose meta holds a private key. */
export async function postgresLocalKeys (db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM objects WHERE local_actor AND meta ->> 'privateKey' IS NOT NULL")).rows[0].n
}
