/**
 * Service health checks on PostgreSQL.
 */
import type { HealthCheck, HealthRepository, HealthStatus, UptimeSummary } from '../ports/health.port'
import type { PostgresDatabase } from './postgres-database'

interface CheckRow {
  service_id: string
  checked_at: string
  status: string
  probe: string
  latency_ms: number | null
  detail: string | null
}

/** `HealthRepository` on the hub's PostgreSQL database. */
export class PostgresHealthRepository implements HealthRepository {
  constructor (private readonly db: PostgresDatabase) {}

  async record (check: HealthCheck): Promise<void> {
    await this.db.query('INSERT INTO health_checks (service_id, checked_at, status, probe, latency_ms, detail) VALUES ($1, $2, $3, $4, $5, $6)',
      [check.serviceId, check.checkedAt, check.status, check.probe, check.latencyMs, check.detail])
  }

  async last (serviceId: string): Promise<HealthCheck | null> {
    const row = (await this.db.query<CheckRow>('SELECT * FROM health_checks WHERE service_id = $1 ORDER BY checked_at DESC, id DESC LIMIT 1', [serviceId])).rows[0]
    return row
      ? { serviceId: row.service_id, checkedAt: row.checked_at, status: row.status as HealthStatus, probe: row.probe, latencyMs: row.latency_ms, detail: row.detail }
      : null
  }

  async summary (serviceId: string, since: string): Promise<UptimeSummary> {
    const rows = await this.db.query<{ status: string, n: number }>(
      'SELECT status, count(*)::int AS n FROM health_checks WHERE service_id = $1 AND checked_at >= $2 GROUP BY status', [serviceId, since])
    const summary: UptimeSummary = { checks: 0, operational: 0, degraded: 0, down: 0 }
    for (const r of rows.rows) {
      if (r.status === 'operational' || r.status === 'degraded' || r.status === 'down') summary[r.status] += r.n
      summary.checks += r.n
    }
    return summary
  }

  async prune (before: string): Promise<number> {
    return (await this.db.query('DELETE FROM health_checks WHERE checked_at < $1', [before])).rowCount ?? 0
  }
}
