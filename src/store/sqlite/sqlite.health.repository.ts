/**
 * Service health checks on SQLite.
 */
import type Database from 'better-sqlite3'
import type { HealthCheck, HealthRepository, HealthStatus, UptimeSummary } from '../ports/health.port'

interface CheckRow {
  service_id: string
  checked_at: string
  status: string
  probe: string
  latency_ms: number | null
  detail: string | null
}

/** `HealthRepository` on the hub's SQLite database. */
export class SqliteHealthRepository implements HealthRepository {
  constructor (private readonly db: Database.Database) {}

  async record (check: HealthCheck): Promise<void> {
    this.db.prepare('INSERT INTO health_checks (service_id, checked_at, status, probe, latency_ms, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(check.serviceId, check.checkedAt, check.status, check.probe, check.latencyMs, check.detail)
  }

  async last (serviceId: string): Promise<HealthCheck | null> {
    const row = this.db.prepare<[string], CheckRow>('SELECT * FROM health_checks WHERE service_id = ? ORDER BY checked_at DESC, id DESC LIMIT 1').get(serviceId)
    return row
      ? { serviceId: row.service_id, checkedAt: row.checked_at, status: row.status as HealthStatus, probe: row.probe, latencyMs: row.latency_ms, detail: row.detail }
      : null
  }

  async summary (serviceId: string, since: string): Promise<UptimeSummary> {
    const rows = this.db.prepare<[string, string], { status: string, n: number }>(
      'SELECT status, COUNT(*) AS n FROM health_checks WHERE service_id = ? AND checked_at >= ? GROUP BY status').all(serviceId, since)
    const summary: UptimeSummary = { checks: 0, operational: 0, degraded: 0, down: 0 }
    for (const r of rows) {
      if (r.status === 'operational' || r.status === 'degraded' || r.status === 'down') summary[r.status] += r.n
      summary.checks += r.n
    }
    return summary
  }

  async prune (before: string): Promise<number> {
    return this.db.prepare('DELETE FROM health_checks WHERE checked_at < ?').run(before).changes
  }
}
