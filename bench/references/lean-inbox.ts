/**
 * A reference for a decision, not the hub: how fast an inbox could take the benchmark's signed
 * Creates if it did the hub's own receiving steps without Express or apex's chain and kept each
 * received activity as one row. Per request, with the hub's functions where it has them: the
 * per-address rate limit, the content type, the body limit, the JSON depth check, the domain
 * blocks of the keyId's and the actor's hosts (one query on a table of blocks), the Digest and
 * the signature (cached key, verified on libuv's pool), the signer being the actor, the
 * per-host rate limit, the JSON-LD compaction (the hub's fast path), the activity id and
 * collections on the actor's origin, the recipient being a co-op here, the Create's object not
 * being stored under another owner (one indexed read), then one row (sender, id, recipient,
 * object id, body) under the three indexes an inbox is read by, written in a group commit with
 * the activities arriving alongside; 202 once it is committed. A Create of a Note has nothing
 * more to run. What it leaves out (the handlers of the hub's own types, the journal of their
 * runs, the shared inbox's recipients) is what the hub would still add.
 * Run as a child process by the inbound benchmark; prints `READY <origin>`.
 */
import Database from 'better-sqlite3'
import fs from 'fs'
import path from 'path'
import http from 'http'
import { AddressInfo } from 'net'
import { digestMatches } from '../../src/federation/signatures/digest'
import { parseSignatureHeader, signingString, verifySignatureAsync } from '../../src/federation/signatures/draft-cavage'
import { RateLimiter } from '../../src/federation/abuse/rate-limiter'
import { nestedDeeperThan } from '../../src/federation/inbox/json-depth'
import { FastCompaction } from '../../src/federation/jsonld/fast-compact'
import { createDocumentLoader } from '../../src/federation/jsonld/document-loader'
import { GroupCommit } from '../../src/federation/inbox/group-commit'
import { blockCandidates, hostOf } from '../../src/domain/domain-block'
import { first, idOf, originOf } from '../../src/domain/activity-streams/nodes'

/** The context apex compacts against, as it builds it: ActivityStreams, security, then the hub's terms. */
const APEX_BASE_CONTEXT = ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1']

const MAX_BODY = 1024 * 1024
const TYPES = ['application/activity+json', 'application/ld+json', 'application/json']

const db = new Database(process.env.BENCH_DB ?? ':memory:')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec(`CREATE TABLE IF NOT EXISTS received (seq INTEGER PRIMARY KEY, sender TEXT NOT NULL, activity_id TEXT NOT NULL,
    recipient TEXT NOT NULL, object_id TEXT, body TEXT NOT NULL, received_at TEXT NOT NULL);
  CREATE UNIQUE INDEX IF NOT EXISTS received_id ON received(activity_id, recipient);
  CREATE INDEX IF NOT EXISTS received_page ON received(recipient, seq);
  CREATE INDEX IF NOT EXISTS received_object ON received(object_id);
  CREATE TABLE IF NOT EXISTS domain_blocks (domain TEXT PRIMARY KEY);
  INSERT OR IGNORE INTO domain_blocks VALUES ('blocked.example')`)
const findBlock = db.prepare<[string], { domain: string }>('SELECT domain FROM domain_blocks WHERE domain IN (SELECT value FROM json_each(?)) LIMIT 1')
const ownerOfObject = db.prepare<[string], { sender: string }>('SELECT sender FROM received WHERE object_id = ? LIMIT 1')
const insert = db.prepare<[string, string, string, string | null, string, string]>(
  'INSERT OR IGNORE INTO received (sender, activity_id, recipient, object_id, body, received_at) VALUES (?, ?, ?, ?, ?, ?)')

interface Row { sender: string, id: string, recipient: string, objectId: string | null, body: string }
const rows = new GroupCommit<Row, undefined>(async batch => {
  const at = new Date().toISOString()
  db.transaction(() => { for (const r of batch) insert.run(r.sender, r.id, r.recipient, r.objectId, r.body, at) })()
  return batch.map(() => undefined)
})

const addressLimit = new RateLimiter(100_000_000)
const hostLimit = new RateLimiter(100_000_000)
// The hub's terms from schemas/ at the project root (this file runs from dist-bench/bench/references).
const hubTerms = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'schemas', 'context.jsonld'), 'utf8')) as { '@context': unknown })['@context']
const compaction = new FastCompaction([...APEX_BASE_CONTEXT, hubTerms], createDocumentLoader())
const keys = new Map<string, { pem: string, owner: string }>()
let recipient = ''

class Refusal extends Error {
  constructor (readonly status: number, message: string) { super(message) }
}

async function keyFor (keyId: string): Promise<{ pem: string, owner: string }> {
  const cached = keys.get(keyId)
  if (cached) return cached
  const actor = await (await fetch(keyId.split('#')[0], { headers: { accept: 'application/activity+json' } })).json() as { id: string, publicKey: { publicKeyPem: string } }
  const key = { pem: actor.publicKey.publicKeyPem, owner: actor.id }
  keys.set(keyId, key)
  return key
}

function refuseBlocked (iris: string[]): void {
  const candidates = new Set<string>()
  for (const iri of iris) {
    const host = hostOf(iri)
    if (host !== null) for (const c of blockCandidates(host)) candidates.add(c)
  }
  if (findBlock.get(JSON.stringify([...candidates])) !== undefined) throw new Refusal(403, 'blocked domain')
}

async function receive (req: http.IncomingMessage, raw: Buffer): Promise<void> {
  const text = raw.toString('utf8')
  if (nestedDeeperThan(text, 32)) throw new Refusal(400, 'nested too deep')
  const body = JSON.parse(text) as Record<string, unknown>
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Refusal(400, 'not one object')
  const params = parseSignatureHeader(String(req.headers.signature ?? ''))
  if (!params) throw new Refusal(401, 'no signature')
  const actorId = idOf(body.actor)
  if (actorId === undefined) throw new Refusal(400, 'no actor')
  refuseBlocked([params.keyId, actorId])
  if (!digestMatches(String(req.headers.digest ?? ''), raw)) throw new Refusal(401, 'digest')
  const signed = signingString({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers as Record<string, string> }, params)
  const key = await keyFor(params.keyId)
  if (signed === null || !(await verifySignatureAsync(signed, params.signature, key.pem, params.algorithm))) throw new Refusal(401, 'signature')
  if (key.owner !== actorId && originOf(key.owner) !== originOf(actorId)) throw new Refusal(403, 'signer is not the actor')
  const host = hostOf(actorId)
  if (host === null || !hostLimit.take(host).allowed) throw new Refusal(429, 'host rate limit')
  const node = await compaction.compact(body as never) as Record<string, unknown> | null
  if (node === null) throw new Refusal(500, 'the fast compaction did not take the document')
  const id = node.id
  const origin = originOf(actorId)
  if (typeof id !== 'string' || originOf(id) !== origin) throw new Refusal(403, 'id not on the actor\'s origin')
  const object = first(node.object) as Record<string, unknown> | string | undefined
  for (const n of [node, object]) {
    if (n === undefined || typeof n !== 'object') continue
    for (const k of ['shares', 'likes']) {
      const c = idOf(n[k])
      if (c !== undefined && originOf(c) !== originOf(String(n.id))) throw new Refusal(400, 'foreign collection')
    }
  }
  if (!String(req.url).startsWith('/u/coop/')) throw new Refusal(404, 'no such co-op')
  const objectId = idOf(object)
  if (objectId !== undefined) {
    const owner = ownerOfObject.get(objectId)
    if (owner !== undefined && owner.sender !== actorId) throw new Refusal(403, 'object stored under another owner')
  }
  await rows.add({ sender: actorId, id, recipient, objectId: objectId ?? null, body: JSON.stringify(node) })
}

const server = http.createServer((req, res) => {
  const address = req.socket.remoteAddress ?? 'unknown'
  if (req.method !== 'POST' || !/^\/u\/[^/]+\/inbox$/.test(req.url ?? '')) { res.writeHead(404).end(); return }
  if (!addressLimit.take(address).allowed) { res.writeHead(429).end(); return }
  if (!TYPES.some(t => String(req.headers['content-type'] ?? '').startsWith(t))) { res.writeHead(415).end(); return }
  const chunks: Buffer[] = []
  let size = 0
  req.on('data', (c: Buffer) => {
    size += c.length
    if (size > MAX_BODY) { res.writeHead(413).end(); req.destroy() } else chunks.push(c)
  })
  req.on('end', () => {
    receive(req, Buffer.concat(chunks)).then(() => { res.writeHead(202).end() }, err => {
      res.writeHead(err instanceof Refusal ? err.status : 400).end(err instanceof Error ? err.message : '')
    })
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  recipient = `${origin}/u/coop`
  process.stdout.write(`READY ${origin}\n`)
})
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0) }))
