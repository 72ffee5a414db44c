import http from 'http'
import { AddressInfo } from 'net'

/** A loopback reverse proxy handing each request to the next upstream in turn. */
export interface BenchProxy {
  origin: string
  upstreams: string[]
  stop: () => Promise<void>
}

/**
 * The reverse proxy in front of several hub processes (as nginx or HAProxy would be): method,
 * path, headers (Host too, so signatures made for the public URL verify) and body unchanged.
 */
export async function startRoundRobinProxy (): Promise<BenchProxy> {
  let turn = 0
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  const proxy: BenchProxy = { origin: '', upstreams: [], stop: async () => undefined }
  const server = http.createServer((req, res) => {
    const target = new URL(proxy.upstreams[turn++ % proxy.upstreams.length])
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const send = (retry: boolean): void => {
        const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        upstream.on('error', err => {
          // A kept-alive connection the hub closed as it was reused never carried the request:
          // send it again on a new one (as Node's documentation advises), once.
          if (retry && upstream.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') { send(false); return }
          if (!res.headersSent) res.writeHead(502)
          res.end()
        })
        upstream.end(body)
      }
      send(true)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.stop = async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return proxy
}
