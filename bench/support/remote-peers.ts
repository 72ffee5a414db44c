import crypto from 'crypto'
import http from 'http'
import { AddressInfo } from 'net'
import { digestHeader } from '../../src/federation/signatures/digest'
import { signRequest } from '../../src/federation/signatures/draft-cavage'
import type { PreparedRequest } from '../harness/load'

interface RemoteActor {
  id: string
  keyId: string
  privateKeyPem: string
  publicKeyPem: string
}

/**
 * Remote actors on loopback servers: each serves its actor document (fetched once by the
 * inbox under test, then cached) and signs the activities the load generator sends.
 */
export class RemotePeers {
  readonly actors: RemoteActor[] = []
  private readonly servers: http.Server[] = []
  origin = ''
  private sequence = 0

  /**
   * Generates `count` key pairs and serves the actors: all on one loopback server, or with
   * `hostPerActor` each on a server (a port: a host) of its own, so their ids spread over the
   * hub's indexes as traffic from many servers does.
   */
  async start (count: number, options: { hostPerActor?: boolean } = {}): Promise<this> {
    const serve = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const match = /^\/users\/(\d+)/.exec(req.url ?? '')
      const actor = match ? this.actors[Number(match[1])] : undefined
      if (!actor) { res.writeHead(404).end(); return }
      res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify({
        '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
        id: actor.id,
        type: 'Person',
        preferredUsername: `user${match?.[1]}`,
        inbox: `${actor.id}/inbox`,
        publicKey: { id: actor.keyId, owner: actor.id, publicKeyPem: actor.publicKeyPem }
      }))
    }
    const listen = async (): Promise<string> => {
      const server = http.createServer(serve)
      this.servers.push(server)
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    }
    this.origin = await listen()
    for (let i = 0; i < count; i++) {
      const origin = options.hostPerActor === true && i > 0 ? await listen() : this.origin
      const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      const id = `${origin}/users/${i}`
      this.actors.push({
        id,
        keyId: `${id}#main-key`,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
      })
    }
    return this
  }

  /** `n` signed Create(Note) activities to `inboxUrl`, round-robin over the actors, addressed to `recipient`. */
  prepareCreates (inboxUrl: string, recipient: string, n: number): PreparedRequest[] {
    const url = new URL(inboxUrl)
    const out: PreparedRequest[] = []
    for (let i = 0; i < n; i++) {
      const actor = this.actors[i % this.actors.length]
      const seq = this.sequence++
      const body = JSON.stringify({
        '@context': 'https://www.w3.org/ns/activitystreams',
        id: `${actor.id}/activities/${seq}`,
        type: 'Create',
        actor: actor.id,
        to: [recipient],
        object: { id: `${actor.id}/notes/${seq}`, type: 'Note', attributedTo: actor.id, to: [recipient], content: `Note ${seq} for the benchmark` }
      })
      const headers: Record<string, string> = { host: url.host, digest: digestHeader(body), 'content-type': 'application/activity+json' }
      Object.assign(headers, signRequest({ method: 'POST', path: url.pathname, headers }, actor.keyId, actor.privateKeyPem))
      out.push({ path: url.pathname, headers, body })
    }
    return out
  }

  async stop (): Promise<void> {
    await Promise.all(this.servers.map(async server => { await new Promise<void>(resolve => server.close(() => resolve())) }))
  }
}

let shared: Promise<RemotePeers> | null = null

/** One set of remote actors for every benchmark of a run (generating 200 RSA keys takes a while). */
export async function sharedRemotePeers (count = 200): Promise<RemotePeers> {
  shared ??= new RemotePeers().start(count)
  return await shared
}

/** Stops the shared remote actors, if any were started. */
export async function stopSharedRemotePeers (): Promise<void> {
  if (shared) await (await shared).stop()
  shared = null
}
