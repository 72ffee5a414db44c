import crypto from 'crypto'
import path from 'path'
import Database from 'better-sqlite3'
import { RUNTIME_TABLES } from '../../src/store/transfer/hub-database'

/** Row count and content hash of every table of a hub's database. */
export type DatabaseSnapshot = Record<string, { rows: number, hash: string }>

/**
 * Reads every table of `<dataDir>/hub.sqlite` through a separate read-only connection (WAL lets
 * it read while the hub writes) and answers its row count and a hash of its content: two equal
 * snapshots mean nothing was added, removed or changed. Tables listed in `ignore` are left out,
 * and so is the process registry (heartbeats change it every few seconds; it is not data).
 */
export function snapshotDatabase (dataDir: string, ignore: string[] = []): DatabaseSnapshot {
  const db = new Database(path.join(dataDir, 'hub.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
    const snapshot: DatabaseSnapshot = {}
    for (const { name } of tables) {
      if (ignore.includes(name) || RUNTIME_TABLES.includes(name)) continue
      const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).raw().all()
      snapshot[name] = { rows: rows.length, hash: crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16) }
    }
    return snapshot
  } finally {
    db.close()
  }
}
