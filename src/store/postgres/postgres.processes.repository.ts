/**
 * The process registry on PostgreSQL (see `ProcessRepository`). A reap that meets a lease being
 * claimed waits for the claim's row lock and then sees its registered owner: a lease is never
 * released while a live process is taking it.
 */
import type { ProcessRecord, ProcessRepository, ReapResult } from '../ports/processes.port'
import type { PostgresDatabase } from './postgres-database'
import { notifyWakeup, WAKEUP_CHANNELS } from './postgres-wakeups'

interface ProcessRow { id: string, machine: string, pid: number, started_at: string, heartbeat_ms: number }

/** SQL: a lease held by no registered process is free (its holder died or never registered). */
const ORPHANED = 'lease_until_ms IS NOT NULL AND (lease_owner IS NULL OR lease_owner NOT IN (SELECT id FROM hub_processes))'

/** `ProcessRepository` on the `hub_processes` table. */
export class PostgresProcessRepository implements ProcessRepository {
  /** `selfId` is this store's process id, `now` the clock (ms). */
  constructor (private readonly db: PostgresDatabase, readonly selfId: string, private readonly now: () => number = Date.now) {}

  async register (info: { machine: string, pid: number }): Promise<void> {
    const now = this.now()
    await this.db.query(`INSERT INTO hub_processes (id, machine, pid, started_at, heartbeat_ms) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms`, [this.selfId, info.machine, info.pid, new Date(now).toISOString(), now])
  }

  async heartbeat (): Promise<boolean> {
    return (await this.db.query('UPDATE hub_processes SET heartbeat_ms = $1 WHERE id = $2', [this.now(), this.selfId])).rowCount === 1
  }

  async deregister (): Promise<void> {
    await this.db.query('DELETE FROM hub_processes WHERE id = $1', [this.selfId])
  }

  async list (): Promise<ProcessRecord[]> {
    const rows = await this.db.query<ProcessRow>('SELECT * FROM hub_processes ORDER BY started_at, id COLLATE "C"')
    return rows.rows.map(r => ({ id: r.id, machine: r.machine, pid: r.pid, startedAt: r.started_at, heartbeatAt: new Date(r.heartbeat_ms).toISOString() }))
  }

  async reap (deadIds: string[]): Promise<ReapResult> {
    return await this.db.transaction(async tx => {
      const removed = await tx.query('DELETE FROM hub_processes WHERE id = ANY ($1::text[]) AND id <> $2', [deadIds, this.selfId])
      const resolutions = await tx.query(`UPDATE outbox_resolutions SET lease_until_ms = NULL, lease_owner = NULL WHERE ${ORPHANED}`)
      const released = await tx.query(`UPDATE deliveries SET lease_until_ms = NULL, lease_owner = NULL WHERE ${ORPHANED}`)
      // What a dead process held goes to whichever live process wakes first.
      if (resolutions.rowCount) await notifyWakeup(tx, WAKEUP_CHANNELS.outbox)
      if (released.rowCount) await notifyWakeup(tx, WAKEUP_CHANNELS.deliveries)
      return { processes: removed.rowCount ?? 0, deliveries: released.rowCount ?? 0 }
    })
  }
}
