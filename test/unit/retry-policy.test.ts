import { decideRetry, MAX_ATTEMPTS, RETRY_MAX_WAIT_MS } from '../../src/federation/delivery/retry-policy'

describe('delivery retry policy', () => {
  const noJitter = (): number => 0.5

  it('backs off exponentially and covers more than a day in all', () => {
    let total = 0
    const waits: number[] = []
    for (let attempt = 0; attempt < MAX_ATTEMPTS - 1; attempt++) {
      const d = decideRetry(attempt, 503, null, noJitter)
      if (!d.retry) throw new Error(`gave up at attempt ${attempt}`)
      waits.push(d.waitMs)
      total += d.waitMs
    }
    expect(waits[0]).toBe(30_000)
    expect(waits[1]).toBe(60_000)
    expect(Math.max(...waits)).toBeLessThanOrEqual(RETRY_MAX_WAIT_MS)
    expect(total).toBeGreaterThan(24 * 3600_000)
    expect(decideRetry(MAX_ATTEMPTS - 1, 503, null)).toMatchObject({ retry: false })
  })

  it('adds at most ±20 % jitter', () => {
    expect(decideRetry(0, null, null, () => 0)).toEqual({ retry: true, waitMs: 24_000 })
    expect(decideRetry(0, null, null, () => 0.999999)).toEqual({ retry: true, waitMs: 36_000 })
  })

  it('honours Retry-After on 429 and 503 only', () => {
    expect(decideRetry(0, 429, 2000)).toEqual({ retry: true, waitMs: 2000 })
    expect(decideRetry(3, 503, 5000)).toEqual({ retry: true, waitMs: 5000 })
    expect(decideRetry(0, 500, 2000, noJitter)).toEqual({ retry: true, waitMs: 30_000 })
  })

  it('gives up at once on other 4xx (400, 401, 403, 404, 410); 404 and 410 mark the inbox gone', () => {
    for (const status of [400, 401, 403]) {
      expect(decideRetry(0, status, null)).toEqual({ retry: false, reason: `the peer refused it with ${status}` })
    }
    for (const status of [404, 410]) {
      expect(decideRetry(0, status, null)).toEqual({ retry: false, reason: `the inbox is gone (${status})`, gone: true })
    }
    expect(decideRetry(0, 408, null, noJitter)).toMatchObject({ retry: true })
  })
})
