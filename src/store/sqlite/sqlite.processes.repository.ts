/**
 * The process registry on SQLite (see `ProcessRepository`). Reaping runs as an IMMEDIATE
 * transaction, so a lease is never released while another process is claiming it.
 */
import type Database from 'better-sqlite3'
import type { ProcessRecord, ProcessRepository, ReapResult } from '../ports/processes.port'

interface ProcessRow { id: string, machine: string, pid: number, started_at: string, heartbeat_ms: number }

/** `ProcessRepository` on the `hub_processes` table. */
export class SqliteProcessRepository implements ProcessRepository {
  private readonly upsert
  private readonly beat
  private readonly remove
  private readonly all
  // A lease held by no registered process is free: its holder died or never registered.
  private readonly releaseOrphans
  private readonly releaseOrphanResolutions

  /** Prepares every statement once; `selfId` is this store's process id, `now` the clock (ms). */
  constructor (private readonly db: Database.Database, readonly selfId: string, private readonly now: () => number) {
    this.upsert = db.prepare<[string, string, number, string, number]>(
      `INSERT INTO hub_processes (id, machine, pid, started_at, heartbeat_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms`)
    this.beat = db.prepare<[number, string]>('UPDATE hub_processes SET heartbeat_ms = ? WHERE id = ?')
    this.remove = db.prepare<[string]>('DELETE FROM hub_processes WHERE id = ?')
    this.all = db.prepare<[], ProcessRow>('SELECT * FROM hub_processes ORDER BY started_at, id')
    this.releaseOrphans = db.prepare(
      `UPDATE deliveries SET lease_until_ms = NULL, lease_owner = NULL
       WHERE lease_until_ms IS NOT NULL
         AND (lease_owner IS NULL OR lease_owner NOT IN (SELECT id FROM hub_processes))`)
    // The same for audience resolutions of published activities (the transactional outbox).
    this.releaseOrphanResolutions = db.prepare(
      `UPDATE outbox_resolutions SET lease_until_ms = NULL, lease_owner = NULL
       WHERE lease_until_ms IS NOT NULL
         AND (lease_owner IS NULL OR lease_owner NOT IN (SELECT id FROM hub_processes))`)
  }

  async register (info: { machine: string, pid: number }): Promise<void> {
    const now = this.now()
    this.upsert.run(this.selfId, info.machine, info.pid, new Date(now).toISOString(), now)
  }

  async heartbeat (): Promise<boolean> {
    return this.beat.run(this.now(), this.selfId).changes === 1
  }

  async deregister (): Promise<void> {
    this.remove.run(this.selfId)
  }

  async list (): Promise<ProcessRecord[]> {
    return this.all.all().map(r => ({
      id: r.id, machine: r.machine, pid: r.pid, startedAt: r.started_at, heartbeatAt: new Date(r.heartbeat_ms).toISOString()
    }))
  }

  async reap (deadIds: string[]): Promise<ReapResult> {
    return this.db.transaction((): ReapResult => {
      let processes = 0
      for (const id of deadIds) if (id !== this.selfId) processes += this.remove.run(id).changes
      this.releaseOrphanResolutions.run()
      return { processes, deliveries: this.releaseOrphans.run().changes }
    }).immediate()
  }
}
