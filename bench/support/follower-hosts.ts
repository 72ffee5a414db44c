import crypto from 'crypto'
import http from 'http'
import { AddressInfo } from 'net'
import { digestHeader } from '../../src/federation/signatures/digest'
import { signRequest } from '../../src/federation/signatures/draft-cavage'

/**
 * Loopback servers standing for the fediverse servers of a large following: each serves actor
 * documents at `/users/<n>` (with the server's shared inbox at `/inbox`, or only a personal
 * inbox) and answers 202 to every POST, counting what arrived per activity type and per path.
 */
export class FollowerHosts {
  readonly origins: string[] = []
  private readonly servers: http.Server[] = []
  private readonly received = new Map<string, number>()
  readonly paths = new Map<string, number>()
  private waiters: Array<{ type: string, count: number, resolve: () => void }> = []
  private readonly key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })

  constructor (private readonly sharedInbox: boolean) {}

  /** Starts `hosts` servers on loopback. */
  async start (hosts: number): Promise<this> {
    for (let h = 0; h < hosts; h++) {
      const server = http.createServer((req, res) => this.answer(req, res, origin))
      server.keepAliveTimeout = 30_000
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      this.servers.push(server)
      this.origins.push(origin)
    }
    return this
  }

  /** The id of follower `n` (spread round-robin over the hosts). */
  actorId (n: number): string {
    return `${this.origins[n % this.origins.length]}/users/${n}`
  }

  /** A Follow of `target` by follower `n`, signed as its server would sign it, for `inboxUrl`. */
  signedFollow (n: number, inboxUrl: string, target: string): { headers: Record<string, string>, body: string } {
    const actor = this.actorId(n)
    const url = new URL(inboxUrl)
    const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor}/follows/${n}`, type: 'Follow', actor, object: target })
    const headers: Record<string, string> = { host: url.host, digest: digestHeader(body), 'content-type': 'application/activity+json' }
    Object.assign(headers, signRequest({ method: 'POST', path: url.pathname, headers }, `${actor}#main-key`, this.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string))
    return { headers, body }
  }

  /** Activities of `type` received so far, on every host. */
  count (type: string): number {
    return this.received.get(type) ?? 0
  }

  /** Resolves once `count` activities of `type` arrived in all. */
  async waitFor (type: string, count: number, timeoutMs = 300_000): Promise<void> {
    if (this.count(type) >= count) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.count(type)} of ${count} ${type} activities arrived in ${timeoutMs} ms`)), timeoutMs)
      this.waiters.push({ type, count, resolve: () => { clearTimeout(timer); resolve() } })
    })
  }

  async stop (): Promise<void> {
    await Promise.all(this.servers.map(s => new Promise<void>(resolve => { s.closeAllConnections(); s.close(() => resolve()) })))
  }

  private answer (req: http.IncomingMessage, res: http.ServerResponse, origin: string): void {
    const actor = /^\/users\/(\d+)$/.exec(req.url ?? '')
    if (req.method === 'GET' && actor) {
      const id = `${origin}${req.url ?? ''}`
      const doc: Record<string, unknown> = {
        '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
        id, type: 'Person', preferredUsername: `user${actor[1]}`, inbox: `${id}/inbox`, outbox: `${id}/outbox`, followers: `${id}/followers`,
        publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: this.key.publicKey.export({ type: 'spki', format: 'pem' }) }
      }
      if (this.sharedInbox) doc.endpoints = { sharedInbox: `${origin}/inbox` }
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify(doc))
      return
    }
    if (req.method !== 'POST') { res.writeHead(404).end(); return }
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c as Buffer))
    req.on('end', () => {
      let type = 'unknown'
      try { type = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: unknown }).type) } catch { /* counted as unknown */ }
      res.writeHead(202).end()
      this.received.set(type, this.count(type) + 1)
      const key = `${type} ${origin}${req.url ?? ''}`
      this.paths.set(key, (this.paths.get(key) ?? 0) + 1)
      const now = this.count(type)
      this.waiters = this.waiters.filter(w => {
        if (w.type !== type || now < w.count) return true
        w.resolve()
        return false
      })
    })
  }
}
