/** Probes one service over HTTP (through the hub's guarded client) and judges the answer. */
import type { OutboundClient } from '../../federation/http/outbound-client'
import type { HealthCheck } from '../../store/ports/health.port'
import { judge, probeFor, probeUrl } from './probe-plan'

/** What a prober needs to know about a service. */
export interface ProbeTarget {
  id: string
  url: string
  softwareName?: string
}

/** Probes services with a time-out; a network error or time-out means down. */
export class HealthProber {
  constructor (
    private readonly client: OutboundClient,
    private readonly timeoutMs: number,
    private readonly slowMs: number,
    private readonly now: () => number = Date.now
  ) {}

  /** One check of one service. */
  async probe (target: ProbeTarget): Promise<HealthCheck> {
    const kind = probeFor(target.softwareName)
    const url = probeUrl(kind, target.url)
    const started = this.now()
    const checkedAt = new Date(started).toISOString()
    try {
      const res = await this.client.request(url, { accept: kind === 'http' ? 'text/html, */*;q=0.8' : 'application/json', timeoutMs: this.timeoutMs, maxBytes: 256 * 1024 })
      const ms = this.now() - started
      const verdict = judge(kind, { status: res.status, body: res.body, ms }, this.slowMs)
      return { serviceId: target.id, checkedAt, status: verdict.status, probe: kind, latencyMs: ms, detail: verdict.detail }
    } catch (err) {
      return { serviceId: target.id, checkedAt, status: 'down', probe: kind, latencyMs: null, detail: (err as Error).message.slice(0, 500) }
    }
  }
}
