import crypto from 'crypto'
import http from 'http'
import { AddressInfo } from 'net'

/** A request the fake peer received. */
export interface ReceivedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
  /** When it arrived (ms since the epoch). */
  at: number
}

/** An answer the fake peer gives to a POST instead of the default 202. */
export interface ScriptedAnswer {
  status: number
  headers?: Record<string, string>
  /** Milliseconds to wait before answering. */
  delayMs?: number
}

/**
 * A stand-in for another fediverse server on loopback: it serves the documents it is given and
 * records what is POSTed to it. Signing is done here independently of the hub's own code, the
 * way Mastodon signs (draft-cavage, rsa-sha256, `(request-target) host date digest`).
 */
export class FakePeer {
  readonly received: ReceivedRequest[] = []
  private readonly documents = new Map<string, unknown>()
  private readonly redirects = new Map<string, string>()
  private readonly openRedirects = new Set<string>()
  private readonly scripts = new Map<string, ScriptedAnswer[]>()
  /** Milliseconds every POST waits before its answer (a slow peer). */
  postDelayMs = 0
  private server!: http.Server
  origin = ''

  /** Starts listening on a free loopback port. */
  async start (): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = ''
      req.on('data', chunk => { body += String(chunk) })
      req.on('end', () => {
        const path = req.url ?? '/'
        if (req.method === 'POST') {
          this.received.push({ method: 'POST', path, headers: req.headers, body, at: Date.now() })
          const answer = this.scripts.get(path)?.shift() ?? { status: 202 }
          setTimeout(() => { res.writeHead(answer.status, answer.headers ?? {}).end() }, answer.delayMs ?? this.postDelayMs)
          return
        }
        const target = this.openRedirects.has(path.split('?')[0]) ? new URL(path, 'http://x').searchParams.get('to') : null
        if (target !== null) { res.writeHead(302, { location: target }).end(); return }
        const location = this.redirects.get(path.split('?')[0])
        if (location !== undefined) { res.writeHead(302, { location }).end(); return }
        const doc = this.documents.get(path.split('?')[0])
        if (doc === undefined) { res.writeHead(404).end(); return }
        res.writeHead(200, { 'content-type': 'application/activity+json' }).end(JSON.stringify(doc))
      })
    })
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  /** Serves `doc` as JSON at `path`. */
  serve (path: string, doc: unknown): void {
    this.documents.set(path, doc)
  }

  /** Answers GETs of `path` with a redirect to `location`. */
  redirect (path: string, location: string): void {
    this.redirects.set(path, location)
  }

  /** Makes `path` an open redirect: a GET of `path?to=<url>` is redirected to `<url>`, wherever it is. */
  openRedirect (path: string): void {
    this.openRedirects.add(path)
  }

  /** Answers the next POSTs to `path` with these, in order; 202 after them. */
  answerPosts (path: string, answers: ScriptedAnswer[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...answers])
  }

  /** POSTs received at `path`. */
  postsTo (path: string): ReceivedRequest[] {
    return this.received.filter(r => r.path === path)
  }

  async stop (): Promise<void> {
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }
}

/** A fresh RSA key pair in PEM. */
export function testKeyPair (): { publicKeyPem: string, privateKeyPem: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  }
}

/** Options for signing like Mastodon does; the overrides make forgeries for the tests. */
export interface MastodonSignOptions {
  url: string
  body: string
  keyId: string
  privateKeyPem: string
  date?: Date
  /** Signed headers; Mastodon signs these four on POST. */
  headers?: string[]
  /** Digest to send (defaults to the real SHA-256 of the body). */
  digest?: string | null
  /** `expires` parameter (seconds since 1970), signed as `(expires)` when `headers` lists it. */
  expires?: number
}

/** The headers Mastodon sends with a signed POST. */
export function mastodonSignedHeaders (opts: MastodonSignOptions): Record<string, string> {
  const url = new URL(opts.url)
  const date = (opts.date ?? new Date()).toUTCString()
  const digest = opts.digest === undefined ? `SHA-256=${crypto.createHash('sha256').update(opts.body).digest('base64')}` : opts.digest
  const values: Record<string, string> = { host: url.host, date }
  if (digest !== null) values.digest = digest
  if (opts.expires !== undefined) values['(expires)'] = String(opts.expires)
  const names = opts.headers ?? ['(request-target)', 'host', 'date', 'digest']
  const text = names.map(n => n === '(request-target)' ? `(request-target): post ${url.pathname}${url.search}` : `${n}: ${values[n]}`).join('\n')
  const signature = crypto.createSign('RSA-SHA256').update(text).sign(opts.privateKeyPem, 'base64')
  const headers: Record<string, string> = {
    'content-type': 'application/activity+json',
    date,
    signature: `keyId="${opts.keyId}",algorithm="rsa-sha256",${opts.expires !== undefined ? `expires=${opts.expires},` : ''}headers="${names.join(' ')}",signature="${signature}"`
  }
  if (digest !== null) headers.digest = digest
  return headers
}

/** Verifies a draft-cavage signed request the hub sent, with the sender's public key. */
export function verifyReceived (req: ReceivedRequest, publicKeyPem: string): boolean {
  const sig = String(req.headers.signature)
  const params = Object.fromEntries([...sig.matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]))
  const text = params.headers.split(' ').map((n: string) => n === '(request-target)' ? `(request-target): ${req.method.toLowerCase()} ${req.path}` : `${n}: ${String(req.headers[n])}`).join('\n')
  const digestOk = `SHA-256=${crypto.createHash('sha256').update(req.body).digest('base64')}` === req.headers.digest
  return digestOk && crypto.createVerify('RSA-SHA256').update(text).verify(publicKeyPem, params.signature, 'base64')
}
