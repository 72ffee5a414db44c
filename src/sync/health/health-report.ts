/** Each local service's health as people see it: the last check and uptime over 30 days. */
import type { HealthRepository } from '../../store/ports/health.port'
import type { HubStore } from '../../store/store.port'
import { uptimeRatio } from './probe-plan'

/** One service's health. */
export interface ServiceHealthView {
  id: string
  name: string
  url: string
  /** The status the service carries (as federated), or null before the first probe. */
  status: string | null
  /** When that status was found. */
  statusSince: string | null
  lastCheck: { checkedAt: string, status: string, probe: string, latencyMs: number | null, detail: string | null } | null
  /** Share of the last 30 days' checks that found it up (operational or degraded); null without checks. */
  uptime30d: number | null
  checks30d: number
}

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000

/** Health of every local service (optionally one co-op's). */
export async function healthReport (store: HubStore, health: HealthRepository, now: () => number = Date.now): Promise<ServiceHealthView[]> {
  const since = new Date(now() - THIRTY_DAYS_MS).toISOString()
  const views: ServiceHealthView[] = []
  for (const record of await store.listServices({ local: true })) {
    const summary = await health.summary(record.id, since)
    const last = await health.last(record.id)
    views.push({
      id: record.id,
      name: String(record.object.name),
      url: String(record.object.url),
      status: typeof record.object.status === 'string' ? record.object.status : null,
      statusSince: typeof record.object.checkedAt === 'string' ? record.object.checkedAt : null,
      lastCheck: last ? { checkedAt: last.checkedAt, status: last.status, probe: last.probe, latencyMs: last.latencyMs, detail: last.detail } : null,
      uptime30d: uptimeRatio(summary),
      checks30d: summary.checks
    })
  }
  return views
}
