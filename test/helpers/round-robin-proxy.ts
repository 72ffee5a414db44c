import http from 'http'
import { AddressInfo } from 'net'

/** A reverse proxy on loopback that hands each request to the next upstream in turn. */
export interface RoundRobinProxy {
  url: string
  port: number
  /** Where requests go, in turn; may be set after start (the hubs need the proxy's URL first). */
  upstreams: string[]
  /** Requests forwarded to each upstream, by upstream URL. */
  counts: Map<string, number>
  stop: () => Promise<void>
}

/**
 * Starts a small round-robin HTTP proxy on 127.0.0.1: method, path, headers (Host included, so
 * signatures made for the public URL still verify) and body go through unchanged.
 */
export async function startRoundRobinProxy (upstreams: string[] = []): Promise<RoundRobinProxy> {
  let turn = 0
  const proxy: RoundRobinProxy = { url: '', port: 0, upstreams, counts: new Map(), stop: async () => undefined }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const server = http.createServer((req, res) => {
    if (proxy.upstreams.length === 0) { res.writeHead(503).end(); return }
    const target = new URL(proxy.upstreams[turn++ % proxy.upstreams.length])
    proxy.counts.set(target.origin, (proxy.counts.get(target.origin) ?? 0) + 1)
    const chunks: Buffer[] = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const forward = (retried: boolean): void => {
        const upstream = http.request({
          host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent
        }, answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        upstream.on('error', err => {
          // A kept-alive connection the hub closed as idle just as it was reused: send once more
          // on a fresh one, as a reverse proxy does (nothing reached the hub).
          if (!retried && upstream.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') { forward(true); return }
          if (!res.headersSent) res.writeHead(502)
          res.end()
        })
        upstream.end(body)
      }
      forward(false)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  proxy.port = (server.address() as AddressInfo).port
  proxy.url = `http://127.0.0.1:${proxy.port}`
  proxy.stop = async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return proxy
}
