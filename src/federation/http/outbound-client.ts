import { Agent, Dispatcher, request } from 'undici'
import { ForbiddenAddressError, RemoteError } from '../../errors/app-errors'
import { digestHeader } from '../signatures/digest'
import { signRequest } from '../signatures/draft-cavage'
import { checkUrl, guardedLookup } from './address-guard'

/** A key the hub signs with: `keyId` is the actor's `publicKey.id`. */
export interface SigningKey {
  keyId: string
  privateKeyPem: string
}

export interface OutboundClientOptions {
  allowPrivateAddresses: boolean
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

  /** GETs an ActivityPub document (signed when a key is given) and parses it as JSON. */
  async getJson (url: string, signer?: SigningKey, accept = ACCEPT_ACTIVITY): Promise<Record<string, unknown>> {
    let current = new URL(url)
    for (let hop = 0; hop <= this.maxRedirects; hop++) {
      checkUrl(current, this.options.allowPrivateAddresses)
      const headers: Record<string, string> = { accept, 'user-agent': this.options.userAgent, host: current.host }
      if (signer) Object.assign(headers, signRequest({ method: 'GET', path: current.pathname + current.search, headers }, signer.keyId, signer.privateKeyPem))
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
        return parsed as Record<string, unknown>
      } catch {
        throw new RemoteError(`${current.href} did not answer with a JSON object`)
      }
    }
    throw new RemoteError(`${url} redirected more than ${this.maxRedirects} times`)
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
    Object.assign(headers, signRequest({ method: 'POST', path: url.pathname + url.search, headers }, signer.keyId, signer.privateKeyPem))
    const res = await this.send(url, { method: 'POST', headers, body })
    const bodyText = await this.readLimited(res, url).catch(() => '')
    return { status: res.statusCode, retryAfterMs: parseRetryAfter(res.headers['retry-after']), bodyText: bodyText.slice(0, 500) }
  }

  /** Closes pooled connections. */
  async close (): Promise<void> {
    await this.agent.close()
  }

  private async send (url: URL, options: { method: 'GET' | 'POST', headers: Record<string, string>, body?: string }): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, { ...options, dispatcher: this.agent, maxRedirections: 0 })
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause
      if (err instanceof ForbiddenAddressError) throw err
      if (cause instanceof ForbiddenAddressError) throw cause
      throw new RemoteError(`Could not reach ${url.host}: ${(err as Error).message}`)
    }
  }

  private async readLimited (res: Dispatcher.ResponseData, url: URL): Promise<string> {
    const declared = Number(res.headers['content-length'])
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      res.body.destroy()
      throw new RemoteError(`${url.href} sent ${declared} bytes, more than the ${this.maxBytes} allowed`)
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length
      if (size > this.maxBytes) {
        res.body.destroy()
        throw new RemoteError(`${url.href} sent more than the ${this.maxBytes} bytes allowed`)
      }
      chunks.push(chunk as Buffer)
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
