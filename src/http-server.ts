import http, { IncomingMessage, RequestListener, Server, ServerResponse } from 'http'
import type { Socket } from 'net'
import type { HttpLimitsConfig } from './config/http-limits-config'

/**
 * The hub's HTTP server, with the limits that keep slow or greedy clients from holding its
 * connections: headers and whole requests must arrive in time (else 408 and the connection is
 * closed), idle keep-alive connections close, and one address holds a bounded number of
 * connections. Given the app's request and response prototypes (an Express app's `request` and
 * `response`), its requests and responses are created with the app's methods already theirs.
 */
export function createHttpServer (app: RequestListener, limits: HttpLimitsConfig, prototypes?: AppPrototypes): Server {
  const server = http.createServer({
    ...(prototypes === undefined ? {} : appRequestClasses(prototypes)),
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

/** What an app's requests and responses inherit from: Express's `app.request` and `app.response`. */
export interface AppPrototypes {
  request: object
  response: object
}

/**
 * Node's request and response classes extended with the app's methods (everything the app's
 * prototypes hold above Node's own: Express's `req.get`, `res.status`, `app`, …), so a request
 * needs no prototype change to be the app's. Express gives each request its prototypes with
 * `Object.setPrototypeOf`, and V8 turns an object whose prototype changes into a dictionary: the
 * change allocated about 8 KB per request, and every later property access on the request and
 * the response paid for it (docs/performance.md, "Requests born with the app's methods"). The
 * inbox routes, answered before Express's router, keep these objects as they are
 * (`inbox-first.ts`); Express's own routes still set their prototypes.
 */
function appRequestClasses ({ request, response }: AppPrototypes): { IncomingMessage: typeof IncomingMessage, ServerResponse: typeof ServerResponse } {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  copyPrototypeChain(AppRequest.prototype, request, IncomingMessage.prototype)
  copyPrototypeChain(AppResponse.prototype, response, ServerResponse.prototype)
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse as unknown as typeof ServerResponse }
}

/** Defines on `target` every property of `proto` and its prototypes above `base`, the nearest winning. */
function copyPrototypeChain (target: object, proto: object, base: object): void {
  const chain: object[] = []
  let p: object | null = proto
  for (; p !== null && p !== base; p = Object.getPrototypeOf(p) as object | null) chain.push(p)
  if (p === null) throw new Error('the app\'s request and response prototypes must inherit from Node\'s IncomingMessage and ServerResponse')
  for (const own of chain.reverse()) Object.defineProperties(target, Object.getOwnPropertyDescriptors(own))
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
