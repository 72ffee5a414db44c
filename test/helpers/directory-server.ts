import crypto from 'crypto'
import fs from 'fs'
import http from 'http'
import { AddressInfo } from 'net'
import path from 'path'

/** How a route answers. Fixture files may contain `{{origin}}`, replaced by the server's origin. */
export type Route =
  | { kind: 'file', file: string, type: string, etag?: boolean, lastModified?: string, status?: number }
  | { kind: 'body', body: string, type: string, etag?: boolean, status?: number }
  /** Never answers (for time-outs). */
  | { kind: 'hang' }
  /** Promises `declared` bytes, sends `sent` of them, then closes the connection. */
  | { kind: 'truncate', body: string, type: string }
  /** Streams `bytes` bytes without a Content-Length. */
  | { kind: 'huge', bytes: number, type: string }

/** A request the server answered. */
export interface ServedRequest {
  path: string
  ifNoneMatch?: string
  ifModifiedSince?: string
  status: number
}

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'directories')

/**
 * A directory source on loopback (127.0.0.1 only) serving fixture files and broken variants,
 * with ETags (a hash of the body) and 304s for matching If-None-Match, and a log of requests.
 */
export class DirectoryServer {
  readonly requests: ServedRequest[] = []
  private readonly routes = new Map<string, Route>()
  private readonly hanging = new Set<http.ServerResponse>()
  private server!: http.Server
  origin = ''

  /** Starts listening on a free loopback port. */
  async start (): Promise<this> {
    this.server = http.createServer((req, res) => this.answer(req, res))
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  /** Sets (or replaces) what a path answers. */
  route (pathname: string, route: Route): this {
    this.routes.set(pathname, route)
    return this
  }

  /** The absolute URL of a path on this server. */
  url (pathname: string): string {
    return `${this.origin}${pathname}`
  }

  /** Requests made to one path. */
  requestsTo (pathname: string): ServedRequest[] {
    return this.requests.filter(r => r.path === pathname)
  }

  async stop (): Promise<void> {
    for (const res of this.hanging) res.destroy()
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private answer (req: http.IncomingMessage, res: http.ServerResponse): void {
    const pathname = (req.url ?? '/').split('?')[0]
    const route = this.routes.get(req.url ?? '') ?? this.routes.get(pathname)
    const log = (status: number): void => {
      this.requests.push({ path: pathname, ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'], status })
    }
    if (!route) { log(404); res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return }
    if (route.kind === 'hang') { log(0); this.hanging.add(res); return }
    if (route.kind === 'truncate') {
      log(200)
      res.writeHead(200, { 'content-type': route.type, 'content-length': String(Buffer.byteLength(route.body) * 2) })
      res.write(route.body)
      setTimeout(() => res.destroy(), 20)
      return
    }
    if (route.kind === 'huge') {
      log(200)
      res.writeHead(200, { 'content-type': route.type })
      const chunk = Buffer.alloc(64 * 1024, 'x')
      let sent = 0
      const pump = (): void => {
        while (sent < route.bytes) {
          sent += chunk.length
          if (!res.write(chunk)) { res.once('drain', pump); return }
        }
        res.end()
      }
      res.on('error', () => {})
      pump()
      return
    }
    const body = route.kind === 'file'
      ? Buffer.from(fs.readFileSync(path.join(FIXTURES, route.file), 'utf8').replaceAll('{{origin}}', this.origin))
      : Buffer.from(route.body)
    const status = route.status ?? 200
    const headers: Record<string, string> = { 'content-type': route.type }
    if (route.etag) {
      const etag = `"${crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
      headers.etag = etag
      if (req.headers['if-none-match'] === etag) { log(304); res.writeHead(304, { etag }).end(); return }
    }
    if (route.kind === 'file' && route.lastModified) headers['last-modified'] = route.lastModified
    log(status)
    res.writeHead(status, headers).end(body)
  }
}
