import { RateLimitedError } from '../../errors/app-errors'
import { RateLimiter } from './rate-limiter'

/**
 * A cap on signing-key fetches per remote host name and minute. Every unknown keyId (or a
 * signature that fails with a cached key) makes the hub fetch; without a cap, keyIds varied
 * by path or port would make it fetch without end from one host. Ports are ignored: they are
 * one machine.
 */
export class KeyFetchBudget {
  private readonly limiter: RateLimiter

  constructor (perMinute: number, now: () => number = Date.now) {
    this.limiter = new RateLimiter(perMinute, now)
  }

  /** Takes one fetch from the budget of `url`'s host, or throws a RateLimitedError (429). */
  spend (url: string): void {
    let host: string
    try {
      host = new URL(url).hostname.toLowerCase()
    } catch {
      return // not a URL: the fetch itself refuses it
    }
    const decision = this.limiter.take(host)
    if (decision.allowed) return
    throw new RateLimitedError(`Too many signing keys fetched from ${host} in the last minute; try again in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds)
  }
}
