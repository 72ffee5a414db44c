/**
 * The `health` job: probes every local hosted service (retired ones excepted), records each
 * check, and when the status differs from the one the service carries, updates the service and
 * federates an Update. No status change, no Update.
 */
import type { Logger } from '../../log/logger'
import type { HealthRepository, HealthStatus } from '../../store/ports/health.port'
import type { HubStore } from '../../store/store.port'
import { zeroCounts } from '../scheduler/job-counts'
import type { Job, JobContext, JobOutput } from '../scheduler/job'
import type { HealthProber } from './health-prober'

/** How many days of checks are kept (uptime is over 30). */
export const HEALTH_HISTORY_DAYS = 31

/** What the job needs to change a service's status. */
export interface HealthPublisher {
  /** Sets a local service's status and federates an Update; false when nothing changed. */
  updateHealth(serviceId: string, status: HealthStatus, checkedAt: string): Promise<boolean>
}

/** One service's check, for the run's details. */
interface ServiceHealthResult {
  service: string
  status: HealthStatus
  previous: string | null
  probe: string
  detail: string | null
  updated: boolean
}

/** The health job on the hub's store, prober and hosted-service service. */
export function healthJob (store: HubStore, health: HealthRepository, prober: HealthProber, publisher: HealthPublisher, logger: Logger, now: () => number = Date.now): Job {
  return {
    name: 'health',
    description: 'Probe each local hosted service; federate an Update when its status changes',
    async run (context: JobContext): Promise<JobOutput> {
      const services = (await store.listServices({ local: true }))
        .filter(s => s.object.status !== 'retired')
        .filter(s => !context.options.service || s.id === context.options.service)
      const counts = zeroCounts()
      const details: ServiceHealthResult[] = []
      for (const [i, record] of services.entries()) {
        context.progress({ done: i, total: services.length, label: record.id })
        const software = record.object.software as { name?: string } | undefined
        const check = await prober.probe({ id: record.id, url: String(record.object.url), softwareName: software?.name })
        await health.record(check)
        const previous = typeof record.object.status === 'string' ? record.object.status : null
        let updated = false
        if (previous !== check.status) {
          try {
            updated = await publisher.updateHealth(record.id, check.status, check.checkedAt)
          } catch (err) {
            counts.rejected++
            logger.warn({ err, service: record.id }, 'health: could not publish a status change')
          }
        }
        if (updated) counts.changed++
        else counts.unchanged++
        details.push({ service: record.id, status: check.status, previous, probe: check.probe, detail: check.detail, updated })
      }
      await health.prune(new Date(now() - HEALTH_HISTORY_DAYS * 24 * 3600 * 1000).toISOString())
      context.progress({ done: services.length, total: services.length, label: 'done' })
      return { outcome: counts.rejected ? 'partial' : 'succeeded', counts, error: null, details }
    }
  }
}
