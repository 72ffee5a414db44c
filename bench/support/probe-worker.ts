/**
 * The fan-out probe, on a thread of its own so the benchmark's own work (the receiving hosts, the
 * polls of the hub's database) does not delay its answers: once told to start, it GETs `url`
 * every `everyMs` on a fixed schedule, whether or not the previous answer came (a stall of the
 * hub holds several probes, as it would hold several visitors), until told to stop; then it
 * posts each probe's latency in ms. It can be started again; it is ready once one GET answered
 * (the first fetch of a thread loads the HTTP client and opens a connection: not a hub's delay).
 */
import { parentPort, workerData } from 'worker_threads'

const { url, everyMs } = workerData as { url: string, everyMs: number }
const latencies: number[] = []
const inFlight = new Set<Promise<void>>()
let timer: NodeJS.Timeout | null = null

function probeOnce (): void {
  const started = performance.now()
  const done = fetch(url)
    .then(async res => { await res.arrayBuffer() })
    .then(() => { latencies.push(performance.now() - started) })
    .finally(() => { inFlight.delete(done) })
  inFlight.add(done)
}

parentPort?.on('message', (message: string) => {
  if (message === 'start') {
    probeOnce()
    timer = setInterval(probeOnce, everyMs)
  } else if (message === 'stop') {
    if (timer !== null) clearInterval(timer)
    void Promise.all(inFlight).then(() => { parentPort?.postMessage(latencies.splice(0)) })
  }
})
void fetch(url).then(async res => { await res.arrayBuffer() }).then(() => { parentPort?.postMessage('ready') })
