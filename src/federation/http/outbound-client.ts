import { Agent, Dispatcher, request } from 'undici'
import { DomainBlockedError, ForbiddenAddressError, RemoteError } from '../../errors/app-errors'
import { digestHeader } from '../signatures/digest'
import { signRequestAsync } from '../signatures/draft-cavage'
import { checkUrl, guardedLookup, PrivateAddressPolicy } from './address-guard'

/** A key the hub signs with: `keyId` is the actor's `publicKey.id`. */
export interface SigningKey {
  keyId: string
  privateKeyPem: string
}

export interface OutboundClientOptions {
  allowPrivateAddresses: PrivateAddressPolicy
  /** Hosts (`URL.host`) the admin blocked: no request goes there, redirects included. */
  isBlockedHost?: (host: string) => Promise<boolean>
  userAgent: string
  timeoutMs?: number
  maxResponseBytes?: number
  maxRedirects?: number
}

/** The answer to a POST: the status and, for 429/503, the parsed `Retry-After` in ms. */
export interface PostResult {
  status: number
  retryAfterMs: number | null
  bodyText: string
}

/** Options of a plain (document) GET: conditional validators and per-request limits. */
export interface DocumentRequest {
  accept: string
  /** Sent as If-None-Match. */
  etag?: string | null
  /** Sent as If-Modified-Since. */
  lastModified?: string | null
  timeoutMs?: number
  maxBytes?: number
}

/** Any answer to a document GET, whatever its status (probes judge the status themselves). */
export interface DocumentResponse {
  /** The URL that answered, after redirects. */
  url: string
  status: number
  /** The media type without parameters, lower-cased ('' when none was sent). */
  contentType: string
  etag: string | null
  lastModified: string | null
  body: string
}

/** A JSON document and the URL that finally served it (after redirects): its origin is the one that vouches for it. */
export interface FetchedJson {
  url: string
  json: Record<string, unknown>
}

export const ACTIVITY_JSON = 'application/activity+json'
const ACCEPT_ACTIVITY = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'

/**
 * Every request the hub makes to other servers goes through here: signed, with a time-out and a
 * response size limit, never to loopback or private addresses (checked after DNS resolution and
 * again on every redirect) unless the admin allowed them.
 */
export class OutboundClient {
  private readonly agent: Agent
  private readonly timeoutMs: number
  private readonly maxBytes: number
  private readonly maxRedirects: number

  constructor (private readonly options: OutboundClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.maxBytes = options.maxResponseBytes ?? 2 * 1024 * 1024
    this.maxRedirects = options.maxRedirects ?? 3
    this.agent = new Agent({
      connect: { lookup: guardedLookup(options.allowPrivateAddresses), timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 10_000,
      connections: 32
    })
  }

  /** The private-address policy this client enforces; call sites that reason about addresses read it here. */
  get privateAddresses (): PrivateAddressPolicy {
    return this.options.allowPrivateAddresses
  }

  /** GETs an ActivityPub document (signed when a key is given) and parses it as JSON. */
  async getJson (url: string, signer?: SigningKey, accept = ACCEPT_ACTIVITY): Promise<Record<string, unknown>> {
    return (await this.fetchJson(url, signer, accept)).json
  }

  /**
   * Like `getJson`, and answers the URL the document was finally served from: a redirect may
   * lead to another server, and only that server vouches for what it served.
   */
  async fetchJson (url: string, signer?: SigningKey, accept = ACCEPT_ACTIVITY): Promise<FetchedJson> {
    let current = new URL(url)
    for (let hop = 0; hop <= this.maxRedirects; hop++) {
      checkUrl(current, this.options.allowPrivateAddresses)
      const headers: Record<string, string> = { accept, 'user-agent': this.options.userAgent, host: current.host }
      if (signer) Object.assign(headers, await signRequestAsync({ method: 'GET', path: current.pathname + current.search, headers }, signer.keyId, signer.privateKeyPem))
      const res = await this.send(current, { method: 'GET', headers })
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        await res.body.dump()
        current = new URL(String(res.headers.location), current)
        continue
      }
      const text = await this.readLimited(res, current)
      if (res.statusCode < 200 || res.statusCode >= 300) {
        throw new RemoteError(`${current.href} answered ${res.statusCode}`)
      }
      try {
        const parsed = JSON.parse(text)
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
        return { url: current.href, json: parsed as Record<string, unknown> }
      } catch {
        throw new RemoteError(`${current.href} did not answer with a JSON object`)
      }
    }
    throw new RemoteError(`${url} redirected more than ${this.maxRedirects} times`)
  }

  /**
   * GETs any document (a directory file, NodeInfo, a status page) with conditional validators,
   * following redirects under the same guard, and answers whatever status came back; a 304
   * answers an empty body. Network errors, time-outs and oversized bodies throw RemoteError.
   */
  async request (url: string, options: DocumentRequest): Promise<DocumentResponse> {
    const maxBytes = options.maxBytes ?? this.maxBytes
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    let current = new URL(url)
    for (let hop = 0; hop <= this.maxRedirects; hop++) {
      checkUrl(current, this.options.allowPrivateAddresses)
      const headers: Record<string, string> = { accept: options.accept, 'user-agent': this.options.userAgent, host: current.host }
      if (options.etag) headers['if-none-match'] = options.etag
      if (options.lastModified) headers['if-modified-since'] = options.lastModified
      const res = await this.send(current, { method: 'GET', headers }, timeoutMs)
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && res.headers.location) {
        await res.body.dump()
        current = new URL(String(res.headers.location), current)
        continue
      }
      const body = await this.readLimited(res, current, maxBytes)
      return {
        url: current.href,
        status: res.statusCode,
        contentType: String(headerValue(res.headers['content-type']) ?? '').split(';')[0].trim().toLowerCase(),
        etag: headerValue(res.headers.etag) ?? null,
        lastModified: headerValue(res.headers['last-modified']) ?? null,
        body
      }
    }
    throw new RemoteError(`${url} redirected more than ${this.maxRedirects} times`)
  }

  /** Like `request`, but anything other than 2xx or 304 throws RemoteError naming the status. */
  async getDocument (url: string, options: DocumentRequest): Promise<DocumentResponse> {
    const res = await this.request(url, options)
    if (res.status !== 304 && (res.status < 200 || res.status >= 300)) throw new RemoteError(`${res.url} answered ${res.status}`)
    return res
  }

  /** POSTs an activity to an inbox, signed with Digest; never follows redirects. */
  async postActivity (inbox: string, body: string, signer: SigningKey): Promise<PostResult> {
    const url = new URL(inbox)
    checkUrl(url, this.options.allowPrivateAddresses)
    const headers: Record<string, string> = {
      'content-type': ACTIVITY_JSON,
      'user-agent': this.options.userAgent,
      host: url.host,
      digest: digestHeader(body)
    }
    Object.assign(headers, await signRequestAsync({ method: 'POST', path: url.pathname + url.search, headers }, signer.keyId, signer.privateKeyPem))
    const res = await this.send(url, { method: 'POST', headers, body })
    const bodyText = await this.readLimited(res, url).catch(() => '')
    return { status: res.statusCode, retryAfterMs: parseRetryAfter(res.headers['retry-after']), bodyText: bodyText.slice(0, 500) }
  }

  /** Closes pooled connections. */
  async close (): Promise<void> {
    await this.agent.close()
  }

  private async send (url: URL, options: { method: 'GET' | 'POST', headers: Record<string, string>, body?: string }, timeoutMs?: number): Promise<Dispatcher.ResponseData> {
    // Checked on every request and every redirect hop, like the address guard.
    if (this.options.isBlockedHost && await this.options.isBlockedHost(url.host)) {
      throw new DomainBlockedError(`${url.host} is blocked on this hub; nothing is sent there or fetched from there`)
    }
    try {
      const timeouts = timeoutMs === undefined ? {} : { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }
      return await request(url, { ...options, ...timeouts, dispatcher: this.agent, maxRedirections: 0 })
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause
      if (err instanceof ForbiddenAddressError) throw err
      if (cause instanceof ForbiddenAddressError) throw cause
      throw new RemoteError(`Could not reach ${url.host}: ${networkProblem(err)}`)
    }
  }

  private async readLimited (res: Dispatcher.ResponseData, url: URL, maxBytes = this.maxBytes): Promise<string> {
    const declared = Number(res.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.body.destroy()
      throw new RemoteError(`${url.href} sent ${declared} bytes, more than the ${maxBytes} allowed`)
    }
    const chunks: Buffer[] = []
    let size = 0
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length
        if (size > maxBytes) {
          res.body.destroy()
          throw new RemoteError(`${url.href} sent more than the ${maxBytes} bytes allowed`)
        }
        chunks.push(chunk as Buffer)
      }
    } catch (err) {
      if (err instanceof RemoteError) throw err
      // A connection cut mid-body (a truncated answer) or a body time-out.
      throw new RemoteError(`${url.href} broke off its answer after ${size} bytes: ${(err as Error).message}`)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter (value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value
  if (!raw) return null
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000
  const date = Date.parse(raw)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

/** Low-level messages name the address connected to (`connect ECONNREFUSED 10.0.0.5:443`); this does not. */
const NETWORK_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the name does not resolve',
  EAI_AGAIN: 'the name could not be resolved (DNS failure)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer came in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stalled',
  UND_ERR_SOCKET: 'the connection broke'
}

function networkProblem (err: unknown): string {
  const code = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code
  if (typeof code === 'string') return NETWORK_PROBLEMS[code] ?? `network error ${code}`
  return 'network error'
}

function headerValue (value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
