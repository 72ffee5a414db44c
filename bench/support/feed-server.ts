import http from 'http'
import { AddressInfo } from 'net'

/**
 * Serves fixed documents on loopback, as a plain web server would serve a directory export,
 * but without ETag or Last-Modified: a hub re-reading it must download and compare the whole
 * document each time (the slow case of an unchanged re-import).
 */
export class FeedServer {
  private server!: http.Server
  origin = ''
  private readonly documents = new Map<string, Buffer>()

  /** Serves `body` at `path` from now on. */
  serve (path: string, body: string): string {
    this.documents.set(path, Buffer.from(body))
    return `${this.origin}${path}`
  }

  async start (): Promise<this> {
    this.server = http.createServer((req, res) => {
      const body = this.documents.get(req.url ?? '')
      if (!body) { res.writeHead(404).end(); return }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body)
    })
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop (): Promise<void> {
    await new Promise<void>(resolve => { this.server.closeAllConnections(); this.server.close(() => resolve()) })
  }
}
