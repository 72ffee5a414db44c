import { Client } from 'undici'
import { percentile } from './stats'

/** One prepared request: the load generator does no work per request beyond sending it. */
export interface PreparedRequest {
  path: string
  headers: Record<string, string>
  body: string
}

/** A path no server under test serves: its answer (a refusal) only opens a connection. */
const OPENING_PATH = '/bench/connection-opened'

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
 *
 * The connections are opened before the clock starts, each by one request the server answers
 * (`OPENING_PATH`, which no server under test serves), as a sending server's kept-alive
 * connections are: opened with the run, the whole first wave (one request per connection, sent
 * in the same millisecond) waited for every connection of the run to be set up, in the client
 * and in the server, and at 50 connections those fifty made the run's p99 — 60–240 ms for the
 * hub and the ideal inbox alike, where with the connections opened first the p99 was 17–43 ms.
 * `atStart` runs when the clock starts (a caller reads the server's CPU time there).
 */
export async function runLoad (origin: string, requests: PreparedRequest[], concurrency: number, atStart: () => void = () => undefined): Promise<LoadResult> {
  const clients = Array.from({ length: concurrency }, () => new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000 }))
  await Promise.all(clients.map(async client => {
    const opened = await client.request({ method: 'GET', path: OPENING_PATH })
    await opened.body.dump()
  }))
  atStart()
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
