import { Client } from 'undici'
import { percentile } from './stats'

/** One prepared request: the load generator does no work per request beyond sending it. */
export interface PreparedRequest {
  path: string
  headers: Record<string, string>
  body: string
}

/** Throughput and latency of one closed-loop load run. */
export interface LoadResult {
  perSecond: number
  p50Ms: number
  p99Ms: number
  ok: number
  failed: number
  statuses: Record<number, number>
}

/**
 * Sends prepared POSTs with `concurrency` keep-alive connections, each connection sending its
 * next request as soon as the previous answered (closed loop), and measures the whole batch.
 * Each sender has a connection of its own: with a shared pool, undici opens connections as the
 * earlier ones get busy and queues requests on a connection still being opened, so a request's
 * latency included its wait behind others in the client (up to half a second at the start of a
 * run against a server answering in 40 ms), not only the server's answer.
 */
export async function runLoad (origin: string, requests: PreparedRequest[], concurrency: number): Promise<LoadResult> {
  const clients = Array.from({ length: concurrency }, () => new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000 }))
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  let next = 0
  let ok = 0
  let failed = 0
  const started = process.hrtime.bigint()
  const worker = async (client: Client): Promise<void> => {
    while (next < requests.length) {
      const req = requests[next++]
      const t0 = process.hrtime.bigint()
      try {
        const res = await client.request({ method: 'POST', path: req.path, headers: req.headers, body: req.body })
        await res.body.dump()
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
        if (res.statusCode >= 200 && res.statusCode < 300) ok++
        else failed++
      } catch {
        failed++
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
  }
  await Promise.all(clients.map(worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await Promise.all(clients.map(async c => await c.close()))
  return { perSecond: requests.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), ok, failed, statuses }
}
