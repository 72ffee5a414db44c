/**
 * When to try a failed delivery again. Exponential back-off from 30 s, doubling, capped at 6 h
 * per wait, with ±20 % jitter so a recovering peer is not hit by every hub at once. Fifteen tries
 * span about 32 hours (at least 26 with the jitter), more than a day a peer may be down.
 */
export const RETRY_BASE_MS = 30_000
export const RETRY_MAX_WAIT_MS = 6 * 60 * 60 * 1000
export const MAX_ATTEMPTS = 15

/** What to do after an attempt: try again after `waitMs`, or give up for good (`gone`: the inbox no longer exists). */
export type RetryDecision = { retry: true, waitMs: number } | { retry: false, reason: string, gone?: boolean }

/** Decides from the attempt number and the peer's answer (status, or null for a network error). */
export function decideRetry (attempt: number, status: number | null, retryAfterMs: number | null, random = Math.random): RetryDecision {
  if (status === 404 || status === 410) {
    return { retry: false, reason: `the inbox is gone (${status})`, gone: true }
  }
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { retry: false, reason: `the peer refused it with ${status}` }
  }
  if (attempt + 1 >= MAX_ATTEMPTS) {
    return { retry: false, reason: `no success after ${MAX_ATTEMPTS} tries (last: ${status ?? 'network error'})` }
  }
  if (retryAfterMs !== null && (status === 429 || status === 503)) {
    return { retry: true, waitMs: Math.min(retryAfterMs, RETRY_MAX_WAIT_MS) }
  }
  const base = Math.min(RETRY_BASE_MS * 2 ** attempt, RETRY_MAX_WAIT_MS)
  const jitter = 1 + (random() * 0.4 - 0.2)
  return { retry: true, waitMs: Math.round(base * jitter) }
}
