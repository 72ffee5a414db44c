import http, { RequestListener, Server } from 'http'
import type { Socket } from 'net'
import type { HttpLimitsConfig } from './config/http-limits-config'

/**
 * The hub's HTTP server, with the limits that keep slow or greedy clients from holding its
 * connections: headers and whole requests must arrive in time (else 408 and the connection is
 * closed), idle keep-alive connections close, and one address holds a bounded number of
 * connections.
 */
export function createHttpServer (app: RequestListener, limits: HttpLimitsConfig): Server {
  const server = http.createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks the two timeouts above on this period (30 s by default): check often enough
    // that a request is cut off close to its timeout.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2)))
  }, app)
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
  limitConnectionsPerAddress(server, limits.maxConnectionsPerAddress)
  return server
}

/** Closes a new connection at once when its address already holds `max` open connections. */
export function limitConnectionsPerAddress (server: Server, max: number): void {
  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown'
    const count = open.get(address) ?? 0
    if (count >= max) {
      socket.destroy()
      return
    }
    open.set(address, count + 1)
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1
      if (left <= 0) open.delete(address)
      else open.set(address, left)
    })
  })
}
