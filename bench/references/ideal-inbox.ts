/**
 * The reference "ideal inbox": the least work an inbox can do and stay correct — parse, check the
 * Digest, verify the RSA signature with a cached key (parsed once; verified on libuv's thread
 * pool, with the hub's own function), insert one row in SQLite. No framework.
 * Run as a child process by the inbound benchmark; prints `READY <origin>`.
 */
import Database from 'better-sqlite3'
import http from 'http'
import { AddressInfo } from 'net'
import { digestMatches } from '../../src/federation/signatures/digest'
import { parseSignatureHeader, signingString, verifySignatureAsync } from '../../src/federation/signatures/draft-cavage'

const db = new Database(process.env.BENCH_DB ?? ':memory:')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec('CREATE TABLE IF NOT EXISTS inbox (id TEXT PRIMARY KEY, actor TEXT, body TEXT)')
const insert = db.prepare('INSERT OR IGNORE INTO inbox (id, actor, body) VALUES (?, ?, ?)')
const keys = new Map<string, string>()

async function keyFor (keyId: string): Promise<string> {
  const cached = keys.get(keyId)
  if (cached) return cached
  const actor = await (await fetch(keyId.split('#')[0], { headers: { accept: 'application/activity+json' } })).json() as { publicKey: { publicKeyPem: string } }
  keys.set(keyId, actor.publicKey.publicKeyPem)
  return actor.publicKey.publicKeyPem
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', c => chunks.push(c as Buffer))
  req.on('end', () => {
    void (async () => {
      const raw = Buffer.concat(chunks)
      const params = parseSignatureHeader(String(req.headers.signature ?? ''))
      if (!params || !digestMatches(String(req.headers.digest ?? ''), raw)) { res.writeHead(401).end(); return }
      const text = signingString({ method: req.method ?? 'POST', path: req.url ?? '/', headers: req.headers as Record<string, string> }, params)
      if (text === null || !(await verifySignatureAsync(text, params.signature, await keyFor(params.keyId), params.algorithm))) { res.writeHead(401).end(); return }
      const activity = JSON.parse(raw.toString('utf8')) as { id: string, actor: string }
      insert.run(activity.id, activity.actor, raw.toString('utf8'))
      res.writeHead(202).end()
    })().catch(() => { res.writeHead(500).end() })
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0) }))
