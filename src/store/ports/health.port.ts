/**
 * Storage of service health checks: each probe's result, kept long enough to compute uptime
 * over 30 days.
 */

/** The health states a probe decides; the same words as HostedService `status`. */
export type HealthStatus = 'operational' | 'degraded' | 'down'

/** One probe of one service. */
export interface HealthCheck {
  serviceId: string
  checkedAt: string
  status: HealthStatus
  /** Which probe ran: `status.php`, `nodeinfo`, `wallabag`, `http`. */
  probe: string
  latencyMs: number | null
  /** Why it is degraded or down, or what the software reported. */
  detail: string | null
}

/** Checks of one service since a time, by status. */
export interface UptimeSummary {
  checks: number
  operational: number
  degraded: number
  down: number
}

/** Health check history. */
export interface HealthRepository {
  record(check: HealthCheck): Promise<void>
  /** The newest check of a service, or null. */
  last(serviceId: string): Promise<HealthCheck | null>
  /** Counts of a service's checks at or after `since` (ISO). */
  summary(serviceId: string, since: string): Promise<UptimeSummary>
  /** Deletes checks older than `before` (ISO); answers how many. */
  prune(before: string): Promise<number>
}
