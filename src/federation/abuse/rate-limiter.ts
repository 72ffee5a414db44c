/** The answer of a rate limiter: go on, or wait this many seconds. */
export type RateDecision = { allowed: true } | { allowed: false, retryAfterSeconds: number }

interface Bucket { tokens: number, at: number }

/**
 * A token bucket per key (a remote host): `perMinute` requests a minute on average, up to
 * `perMinute` at once after a quiet minute. Pure and in memory; the clock is injected.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly refillPerMs: number

  constructor (private readonly perMinute: number, private readonly now: () => number = Date.now, private readonly maxKeys = 10_000) {
    this.refillPerMs = perMinute / 60_000
  }

  /** Takes one request's token for `key`, or says how long until one is free. */
  take (key: string): RateDecision {
    const now = this.now()
    const bucket = this.refill(key, now)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return { allowed: true }
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)) }
  }

  private refill (key: string, now: number): Bucket {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.forgetFullBuckets(now)
      bucket = { tokens: this.perMinute, at: now }
      this.buckets.set(key, bucket)
      return bucket
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.refillPerMs)
    bucket.at = now
    return bucket
  }

  /** A full bucket is the same as no bucket: forgetting those bounds the memory used. */
  private forgetFullBuckets (now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.refillPerMs >= this.perMinute) this.buckets.delete(key)
    }
  }
}
