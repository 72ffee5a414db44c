/** The state of one host's circuit, for the admin view. */
export interface CircuitState {
  host: string
  state: 'closed' | 'open' | 'half-open'
  consecutiveFailures: number
  /** While open: when the next trial delivery may go (ISO). */
  openUntil: string | null
}

/** Whether a delivery to a host may go now, or must wait until `until`. */
export type CircuitDecision = { allowed: true } | { allowed: false, until: Date }

interface Circuit { failures: number, opens: number, openUntil: number, trialInFlight: boolean }

/** How many failures in a row open a host's circuit. */
export const CIRCUIT_THRESHOLD = 5
/** How long a circuit first stays open; it doubles with every failed trial, up to the maximum. */
export const CIRCUIT_BASE_OPEN_MS = 30_000
export const CIRCUIT_MAX_OPEN_MS = 60 * 60 * 1000

/**
 * A circuit breaker per remote host: after `CIRCUIT_THRESHOLD` failures in a row (network
 * errors, timeouts, 5xx, 429) the host gets no deliveries until its circuit half-opens, then
 * one trial delivery; success closes it, failure opens it again for twice as long. This spares a
 * host that is down a flood of doomed requests and spares the queue the wasted attempts.
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>()

  constructor (private readonly now: () => number = Date.now) {}

  /** May a delivery to `host` be attempted now? A half-open circuit lets one trial through. */
  check (host: string): CircuitDecision {
    const c = this.circuits.get(host)
    if (!c || c.failures < CIRCUIT_THRESHOLD) return { allowed: true }
    const now = this.now()
    if (now < c.openUntil) return { allowed: false, until: new Date(c.openUntil) }
    if (c.trialInFlight) return { allowed: false, until: new Date(now + 5_000) }
    c.trialInFlight = true
    return { allowed: true }
  }

  /** The host answered 2xx (or a 4xx that shows it is up): its circuit closes. */
  succeeded (host: string): void {
    this.circuits.delete(host)
  }

  /** The host failed a delivery (network error, timeout, 5xx, 429). */
  failed (host: string): void {
    const c = this.circuits.get(host) ?? { failures: 0, opens: 0, openUntil: 0, trialInFlight: false }
    c.failures++
    c.trialInFlight = false
    if (c.failures >= CIRCUIT_THRESHOLD) {
      c.openUntil = this.now() + Math.min(CIRCUIT_BASE_OPEN_MS * 2 ** c.opens, CIRCUIT_MAX_OPEN_MS)
      c.opens++
    }
    this.circuits.set(host, c)
  }

  /** The state of every host with failures. */
  states (): CircuitState[] {
    const now = this.now()
    return [...this.circuits].map(([host, c]) => ({
      host,
      state: c.failures < CIRCUIT_THRESHOLD ? 'closed' : now < c.openUntil ? 'open' : 'half-open',
      consecutiveFailures: c.failures,
      openUntil: c.failures >= CIRCUIT_THRESHOLD ? new Date(c.openUntil).toISOString() : null
    }))
  }
}

/** True when an answer (status, or null for a network error) counts against the host's circuit. */
export function countsAsHostFailure (status: number | null): boolean {
  return status === null || status >= 500 || status === 429 || status === 408
}
