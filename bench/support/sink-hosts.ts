import crypto from 'crypto'
import http from 'http'
import { AddressInfo } from 'net'
import { digestHeader } from '../../src/federation/signatures/digest'
import { signRequest } from '../../src/federation/signatures/draft-cavage'
import type { PreparedRequest } from '../harness/load'

/** One remote actor on a sink host: its id, inbox, and the key it signs with. */
export interface SinkActor {
  id: string
  inbox: string
  keyId: string
  privateKeyPem: string
}

/**
 * `hosts` loopback servers (each its own port, so its own host for the hub: no two share a
 * connection pool or a circuit), each with `perHost` actors. An actor document advertises its
 * personal inbox and no `sharedInbox`, so a hub delivers to every inbox separately (with a
 * shared inbox it would send once per host). Every inbox answers 202 and counts what arrived.
 */
export class SinkHosts {
  readonly actors: SinkActor[] = []
  private readonly servers: http.Server[] = []
  private readonly received = new Map<string, number>()
  /** The last body of each activity type received (the fan-out reference sends the same bytes). */
  readonly lastBody = new Map<string, string>()
  private waiters: Array<{ type: string, count: number, resolve: () => void }> = []

  /** Starts the servers; actors share `keys` key pairs (generating 1,000 RSA keys would take a minute). */
  async start (hosts: number, perHost: number, keys = 4): Promise<this> {
    const pairs = Array.from({ length: keys }, () => {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }
    })
    for (let h = 0; h < hosts; h++) {
      const server = http.createServer((req, res) => this.answer(req, res, origin, pairs))
      server.keepAliveTimeout = 30_000
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      this.servers.push(server)
      for (let i = 0; i < perHost; i++) {
        const id = `${origin}/users/${i}`
        this.actors.push({ id, inbox: `${id}/inbox`, keyId: `${id}#main-key`, privateKeyPem: pairs[i % keys].privateKeyPem })
      }
    }
    return this
  }

  /** How many activities of `type` the inboxes have received so far. */
  count (type: string): number {
    return this.received.get(type) ?? 0
  }

  /** Resolves once the inboxes together have received `count` activities of `type` (in all). */
  async waitFor (type: string, count: number, timeoutMs = 120_000): Promise<void> {
    if (this.count(type) >= count) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.count(type)} of ${count} ${type} activities arrived in ${timeoutMs} ms`)), timeoutMs)
      this.waiters.push({ type, count, resolve: () => { clearTimeout(timer); resolve() } })
    })
  }

  /** A signed Follow of `target` from each actor, posted to `inboxUrl`. */
  prepareFollows (inboxUrl: string, target: string): PreparedRequest[] {
    const url = new URL(inboxUrl)
    return this.actors.map((actor, n) => {
      const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/follows/${n}`, type: 'Follow', actor: actor.id, object: target })
      const headers: Record<string, string> = { host: url.host, digest: digestHeader(body), 'content-type': 'application/activity+json' }
      Object.assign(headers, signRequest({ method: 'POST', path: url.pathname, headers }, actor.keyId, actor.privateKeyPem))
      return { path: url.pathname, headers, body }
    })
  }

  async stop (): Promise<void> {
    await Promise.all(this.servers.map(s => new Promise<void>(resolve => { s.closeAllConnections(); s.close(() => resolve()) })))
  }

  private answer (req: http.IncomingMessage, res: http.ServerResponse, origin: string, pairs: Array<{ publicKeyPem: string }>): void {
    const match = /^\/users\/(\d+)(\/inbox)?$/.exec(req.url ?? '')
    if (!match) { res.writeHead(404).end(); return }
    const n = Number(match[1])
    if (req.method === 'GET' && !match[2]) {
      const id = `${origin}/users/${n}`
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify({
        '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
        id, type: 'Person', preferredUsername: `user${n}`, inbox: `${id}/inbox`, outbox: `${id}/outbox`, followers: `${id}/followers`,
        publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pairs[n % pairs.length].publicKeyPem }
      }))
      return
    }
    if (req.method !== 'POST' || !match[2]) { res.writeHead(405).end(); return }
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c as Buffer))
    req.on('end', () => {
      let type = 'unknown'
      const text = Buffer.concat(chunks).toString('utf8')
      try { type = String((JSON.parse(text) as { type?: unknown }).type) } catch { /* counted as unknown */ }
      this.lastBody.set(type, text)
      res.writeHead(202).end()
      this.received.set(type, (this.received.get(type) ?? 0) + 1)
      const now = this.count(type)
      this.waiters = this.waiters.filter(w => {
        if (w.type !== type || now < w.count) return true
        w.resolve()
        return false
      })
    })
  }
}
