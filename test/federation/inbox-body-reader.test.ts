import crypto from 'crypto'
import http from 'http'
import net from 'net'
import zlib from 'zlib'
import { FakePeer } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * The inbox reads its own request body: content types, encodings, charsets, the size limit, the
 * depth limit and strict JSON, each refusal with its status and a message saying why, and
 * bodies that pass reach the signature check (a signed one at the instance actor's inbox, which
 * accepts and drops what is signed, is answered 202). Real HTTP to a hub in this process.
 */

const LIMIT = 4096
const INSTANCE_INBOX = '/actor/inbox'
const SHARED_INBOX = '/inbox'
const ACTIVITY_JSON = 'application/activity+json'

interface Answer { status: number, message: string | undefined }

/** POSTs `body` as it is (bytes and headers untouched) and reads the JSON answer. */
async function post (hub: TestHub, path: string, body: Buffer | string, headers: Record<string, string>): Promise<Answer> {
  return await new Promise((resolve, reject) => {
    const req = http.request(`${hub.url}${path}`, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, message: text === '' ? undefined : JSON.parse(text).message }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A raw connection to the hub: what it sent so far, and a wait for an answer's status line. */
interface RawConnection {
  socket: net.Socket
  received: () => string
  answered: () => Promise<string>
}

async function connect (hub: TestHub): Promise<RawConnection> {
  const socket = net.connect({ host: '127.0.0.1', port: hub.port })
  let data = ''
  socket.on('data', chunk => { data += chunk.toString('latin1') })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  const answered = async (): Promise<string> => {
    const deadline = Date.now() + 5_000
    while (!/\r\n\r\n[\s\S]*\}/.test(data) && !socket.destroyed && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
    return data
  }
  return { socket, received: () => data, answered }
}

const follow = (actor: PeerActor, target: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/activities/${crypto.randomBytes(6).toString('hex')}`, type: 'Follow', actor: actor.id, object: target, ...extra })

const sha256 = (bytes: Buffer): string => crypto.createHash('sha256').update(bytes).digest('base64')

describe('the inbox\'s own body reader', () => {
  let hub: TestHub
  let peer: FakePeer
  let alice: PeerActor

  /** Headers of a request alice signs at the instance inbox, its Digest over `bytes`. */
  const signedFor = (bytes: Buffer, json: string, extra: Record<string, string> = {}): Record<string, string> => ({
    ...signedHeaders(alice, `${hub.url}${INSTANCE_INBOX}`, json, { style: 'cavage', overrides: { digest: `SHA-256=${sha256(bytes)}` } }),
    ...extra
  })
  const unsigned = (extra: Record<string, string> = {}): Record<string, string> => ({ 'content-type': ACTIVITY_JSON, ...extra })

  beforeAll(async () => {
    hub = await startTestHub({ HUB_MAX_BODY_BYTES: String(LIMIT) })
    peer = await new FakePeer().start()
    alice = servePeerActor(peer, 'alice')
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  describe('content encodings', () => {
    it('inflates a gzip body and checks its Digest over the inflated bytes (202)', async () => {
      const json = follow(alice, hub.url)
      const res = await post(hub, INSTANCE_INBOX, zlib.gzipSync(json), signedFor(Buffer.from(json), json, { 'content-encoding': 'gzip' }))
      expect(res).toEqual({ status: 202, message: undefined })
    })

    it('inflates a deflate body (202)', async () => {
      const json = follow(alice, hub.url)
      const res = await post(hub, INSTANCE_INBOX, zlib.deflateSync(json), signedFor(Buffer.from(json), json, { 'content-encoding': 'deflate' }))
      expect(res).toEqual({ status: 202, message: undefined })
    })

    it('refuses a br body (415, naming the encoding)', async () => {
      const res = await post(hub, SHARED_INBOX, zlib.brotliCompressSync('{"type":"Follow"}'), unsigned({ 'content-encoding': 'br' }))
      expect(res).toEqual({ status: 415, message: 'unsupported content encoding "br"' })
    })

    it('refuses a gzip body that inflates past the limit (413)', async () => {
      const res = await post(hub, SHARED_INBOX, zlib.gzipSync(JSON.stringify({ content: 'x'.repeat(LIMIT) })), unsigned({ 'content-encoding': 'gzip' }))
      expect(res).toEqual({ status: 413, message: `The body is larger than the ${LIMIT} bytes this hub accepts` })
    })

    it('refuses a body that is not gzip though it says so (400, not 500)', async () => {
      const res = await post(hub, SHARED_INBOX, '{"type":"Follow"}', unsigned({ 'content-encoding': 'gzip' }))
      expect(res.status).toBe(400)
      expect(res.message).toMatch(/could not be inflated as gzip/)
    })
  })

  describe('content types and charsets', () => {
    it.each([
      ['application/ld+json; profile="https://www.w3.org/ns/activitystreams"'],
      ['Application/JSON; Charset=UTF-8']
    ])('reads %s (on to the signature check: 401)', async type => {
      const res = await post(hub, SHARED_INBOX, follow(alice, hub.url), { 'content-type': type })
      expect(res).toEqual({ status: 401, message: expect.stringMatching(/Signature header is missing/) })
    })

    it('refuses text/plain and a malformed media type (415)', async () => {
      for (const type of ['text/plain', 'application/json;']) {
        const res = await post(hub, SHARED_INBOX, follow(alice, hub.url), { 'content-type': type })
        expect(res).toEqual({ status: 415, message: `An inbox accepts application/activity+json or application/ld+json; got ${type}` })
      }
    })

    it('refuses a POST that announces no body at all (415)', async () => {
      const conn = await connect(hub)
      conn.socket.write(`POST ${SHARED_INBOX} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${ACTIVITY_JSON}\r\nConnection: close\r\n\r\n`)
      const answer = await conn.answered().finally(() => conn.socket.destroy())
      expect(answer).toMatch(/^HTTP\/1\.1 415 /)
      expect(answer).toContain('has no body (neither Content-Length nor Transfer-Encoding)')
    })

    it('refuses a latin1 body (415, naming the charset)', async () => {
      const res = await post(hub, SHARED_INBOX, follow(alice, hub.url), unsigned({ 'content-type': `${ACTIVITY_JSON}; charset=latin1` }))
      expect(res).toEqual({ status: 415, message: 'unsupported charset "LATIN1"' })
    })

    it('refuses UTF-7, a UTF charset it does not read (415)', async () => {
      const res = await post(hub, SHARED_INBOX, follow(alice, hub.url), unsigned({ 'content-type': `${ACTIVITY_JSON}; charset=utf-7` }))
      expect(res).toEqual({ status: 415, message: 'The charset utf-7 is not supported; send UTF-8' })
    })

    it.each([
      ['utf-16le', (s: string) => Buffer.from(s, 'utf16le')],
      ['utf-16be', (s: string) => Buffer.from(s, 'utf16le').swap16()],
      ['utf-16', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])]
    ])('reads a signed %s body, its Digest over the bytes sent (202)', async (charset, encode) => {
      const json = follow(alice, hub.url, { summary: 'café' })
      const bytes = encode(json)
      const res = await post(hub, INSTANCE_INBOX, bytes, signedFor(bytes, json, { 'content-type': `${ACTIVITY_JSON}; charset=${charset}` }))
      expect(res).toEqual({ status: 202, message: undefined })
    })
  })

  describe('JSON', () => {
    const refused: Array<[string, string, RegExp]> = [
      ['nested 33 levels', '{"a":'.repeat(33) + '1' + '}'.repeat(33), /^The JSON is nested more than 32 levels deep/],
      ['a top-level string', '"string"', /^The body is not valid JSON: Unexpected token '"', ""string"" is not valid JSON$/],
      ['a top-level number', ' 12', /^The body is not valid JSON: Unexpected token '1'/],
      ['an array', '[]', /^The body must be one JSON object/],
      ['malformed JSON', '{"type": "Follow",', /^The body is not valid JSON: .*position 18/]
    ]
    it.each(refused)('refuses %s (400)', async (_name, body, message) => {
      const res = await post(hub, SHARED_INBOX, body, unsigned())
      expect(res).toEqual({ status: 400, message: expect.stringMatching(message) })
    })

    it('reads an empty body as {} and goes on to the signature check (401), as before', async () => {
      const res = await post(hub, SHARED_INBOX, '', unsigned())
      expect(res).toEqual({ status: 401, message: expect.stringMatching(/Signature header is missing/) })
    })
  })

  describe('the size limit', () => {
    it('refuses a Content-Length over the limit (413) before any of the body is sent', async () => {
      const conn = await connect(hub)
      conn.socket.write(`POST ${SHARED_INBOX} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${ACTIVITY_JSON}\r\nContent-Length: ${LIMIT * 100}\r\n\r\n`)
      const answer = await conn.answered().finally(() => conn.socket.destroy())
      expect(answer).toMatch(/^HTTP\/1\.1 413 /)
      expect(answer).toContain(`The body is larger than the ${LIMIT} bytes this hub accepts`)
    })

    it('refuses a chunked body once it grows past the limit (413) while it is still being sent, and keeps serving the connection', async () => {
      const conn = await connect(hub)
      try {
        conn.socket.write(`POST ${SHARED_INBOX} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${ACTIVITY_JSON}\r\nTransfer-Encoding: chunked\r\n\r\n`)
        const chunk = '{"content":"' + 'x'.repeat(1000)
        for (let sent = 0; sent <= LIMIT; sent += chunk.length) conn.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
        // The body is not finished: the answer comes anyway.
        const answer = await conn.answered()
        expect(answer).toMatch(/^HTTP\/1\.1 413 /)
        expect(answer).toContain(`The body is larger than the ${LIMIT} bytes this hub accepts`)
        // The rest of the body is read and dropped; the same connection serves the next request.
        conn.socket.write('0\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
        // At most 5 s; the fallback timer is cleared once the connection closes, or it would hold the test process open.
        await new Promise<void>(resolve => {
          const fallback = setTimeout(resolve, 5_000)
          conn.socket.once('close', () => { clearTimeout(fallback); resolve() })
        })
        expect(conn.received().slice(answer.length)).toMatch(/^HTTP\/1\.1 200 /)
      } finally {
        conn.socket.destroy()
      }
    })

    it('survives an upload aborted half-way and serves the next request', async () => {
      const conn = await connect(hub)
      conn.socket.write(`POST ${SHARED_INBOX} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${ACTIVITY_JSON}\r\nContent-Length: 1000\r\n\r\n{"type":"Fol`)
      await new Promise(resolve => setTimeout(resolve, 50))
      conn.socket.destroy()
      await new Promise(resolve => setTimeout(resolve, 50))
      const res = await post(hub, SHARED_INBOX, follow(alice, hub.url), unsigned())
      expect(res).toEqual({ status: 401, message: expect.stringMatching(/Signature header is missing/) })
    })
  })
})
