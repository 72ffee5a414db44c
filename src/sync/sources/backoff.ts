/** When to try a failing source again: 15 minutes after the first failure, doubling, at most a day. */

const FIRST_DELAY_MS = 15 * 60 * 1000
const MAX_DELAY_MS = 24 * 3600 * 1000

/** The delay after `failures` consecutive failures (1 or more). */
export function backoffDelayMs (failures: number): number {
  const n = Math.max(1, failures)
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(n - 1, 20))
}

/** The ISO time of the next attempt after `failures` consecutive failures. */
export function nextAttemptAt (failures: number, now: number): string {
  return new Date(now + backoffDelayMs(failures)).toISOString()
}
