import Database from 'better-sqlite3'
import crypto from 'crypto'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { migrations } from '../../src/store/sqlite/migrations'
import { startBenchHub } from './bench-hub'
import { RemotePeers } from './remote-peers'

/** Activities the large store holds, and the servers and actors they came from. */
export const LARGE_STORE = { activities: 1_000_000, hosts: 2_000, actorsPerHost: 5 }
/** Of those, how many the inbox still remembers as processed (the newest; the rest were pruned). */
const REMEMBERED = 100_000
/** Bumped when the filling changes, so a cached file of an older filling is not used. */
const FILLING_VERSION = 3
const TABLES = ['objects', 'streams', 'stream_collections', 'stream_embedded_objects', 'inbox_processed']

/** A copy of the large store ready for one hub: its data directory and the port its ids name. */
export interface LargeStore { dataDir: string, port: number }

interface CacheFacts { port: number, filling: number, schema: number, activities: number }

const schemaVersion = (): number => Math.max(...migrations.map(m => m.version))
const cacheDir = (): string => path.join(os.tmpdir(), `ioo-bench-inbox-1m-schema${schemaVersion()}-filling${FILLING_VERSION}`)

/**
 * A hub data directory (under `runDir`) holding `LARGE_STORE.activities` inbound Creates from
 * `LARGE_STORE.hosts` servers to one co-op `coop`. The filled database is kept in os.tmpdir(),
 * keyed by the schema version and the filling's version, and copied for each use, so only the
 * first run pays for the filling.
 */
export async function largeInboxStore (runDir: string, log: (line: string) => void): Promise<LargeStore> {
  const dir = cacheDir()
  const factsFile = path.join(dir, 'facts.json')
  if (!fs.existsSync(factsFile)) await fillCache(dir, log)
  const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8')) as CacheFacts
  const dataDir = path.join(runDir, 'data-1m')
  fs.mkdirSync(dataDir, { recursive: true })
  fs.copyFileSync(path.join(dir, 'hub.sqlite'), path.join(dataDir, 'hub.sqlite'))
  fs.chmodSync(path.join(dataDir, 'hub.sqlite'), 0o600)
  // The remembered activities were processed just now, as on a hub that is receiving them.
  const db = new Database(path.join(dataDir, 'hub.sqlite'))
  try {
    db.prepare('UPDATE inbox_processed SET processed_at = ?').run(new Date().toISOString())
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  return { dataDir, port: facts.port }
}

/**
 * Fills the cache: a hub takes one real signed Create (so every row below has the shape real
 * inbound writes give it), then its rows are copied with SQL for every activity, each with random
 * ids, on random servers' actors, in random order, so the indexes hold them as traffic from many
 * servers leaves them. Indexes and triggers of the filled tables are dropped during the copy and
 * made again after (one sort each, not a million random inserts); what the triggers would have
 * written (each membership row's delivery target, the collection's count) is written directly.
 */
async function fillCache (dir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now()
  const work = `${dir}.filling-${process.pid}`
  fs.rmSync(work, { recursive: true, force: true })
  const dataDir = path.join(work, 'data')
  const template = await new RemotePeers().start(1)
  let port: number
  try {
    const hub = await startBenchHub(dataDir, { env: { HUB_INBOX_RATE_LIMIT: '100000000' } })
    port = hub.port
    try {
      await hub.api('POST', '/coops', { username: 'coop', name: 'Bench Co-op' }, 201)
      const [create] = template.prepareCreates(`${hub.origin}/u/coop/inbox`, `${hub.origin}/u/coop`, 1)
      const res = await fetch(`${hub.origin}${create.path}`, { method: 'POST', headers: create.headers, body: create.body })
      if (res.status !== 202) throw new Error(`the hub refused the template Create: ${res.status} ${await res.text()}`)
      await waitForProcessed(path.join(dataDir, 'hub.sqlite'))
    } finally {
      await hub.server.stop()
    }
  } finally {
    await template.stop()
  }
  log(`inbound at scale: filling a store with ${LARGE_STORE.activities} activities from ${LARGE_STORE.hosts} servers (once; kept in ${dir})`)
  copyTemplate(path.join(dataDir, 'hub.sqlite'), template.actors[0].id)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.renameSync(path.join(dataDir, 'hub.sqlite'), path.join(dir, 'hub.sqlite'))
  const facts: CacheFacts = { port, filling: FILLING_VERSION, schema: schemaVersion(), activities: LARGE_STORE.activities }
  fs.writeFileSync(path.join(dir, 'facts.json'), JSON.stringify(facts))
  fs.rmSync(work, { recursive: true, force: true })
  log(`inbound at scale: store filled in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}

async function waitForProcessed (file: string): Promise<void> {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    // Settled: held in the inbox under its recipient (a hub before the filling's version 3 wrote a processed mark).
    const done = db.prepare<[], { n: number }>(
      'SELECT (SELECT COUNT(*) FROM inbox_processed) + (SELECT COUNT(*) FROM stream_collections WHERE recipient IS NOT NULL) AS n')
    for (let i = 0; (done.get()?.n ?? 0) === 0; i++) {
      if (i > 200) throw new Error('the template Create was not processed within 10 s')
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  } finally {
    db.close()
  }
}

interface TemplateRows {
  actor: Record<string, unknown>
  /** The Note's own row (none since a settled Create keeps it inside the activity). */
  note: Record<string, unknown> | undefined
  activity: Record<string, unknown>
  membership: Record<string, unknown>
  /** A copy-row for an embedded object beyond the first (none for a Create of one Note, whose object `streams.object_id` indexes). */
  embedded: Record<string, unknown> | undefined
  /** The processed record (none since a settled Create's inbox row is its record). */
  processed: Record<string, unknown> | undefined
}

/** Copies the template activity's rows `LARGE_STORE.activities` times with new ids (the hub is stopped). */
function copyTemplate (file: string, templateActor: string): void {
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = OFF')
    db.pragma('cache_size = -1000000')
    db.pragma('foreign_keys = ON')
    const one = <T>(sql: string, ...args: unknown[]): T => {
      const row = db.prepare(sql).get(...args) as T | undefined
      if (row === undefined) throw new Error(`the template Create left no row for: ${sql}`)
      return row
    }
    const activity = one<Record<string, unknown>>('SELECT * FROM streams WHERE actor_id = ?', templateActor)
    const rows: TemplateRows = {
      actor: one('SELECT * FROM objects WHERE id = ?', templateActor),
      // A settled Create keeps its Note inside the activity and its record in its inbox row; an
      // older hub wrote both out, and the filling copies what the template left.
      note: db.prepare('SELECT * FROM objects WHERE id = ?').get(activity.object_id) as Record<string, unknown> | undefined,
      activity,
      membership: one('SELECT * FROM stream_collections WHERE seq = ?', activity.seq),
      embedded: db.prepare('SELECT * FROM stream_embedded_objects WHERE seq = ?').get(activity.seq) as Record<string, unknown> | undefined,
      processed: db.prepare('SELECT * FROM inbox_processed WHERE sender = ?').get(templateActor) as Record<string, unknown> | undefined
    }
    const templateActivity = String(activity.id)
    const templateNote = String(activity.object_id)
    const rewrite = (row: Record<string, unknown>, pairs: Array<[string, string]>): unknown[] => Object.values(row).map(value => {
      if (typeof value !== 'string') return value
      let text = value
      for (const [from, to] of pairs) text = text.split(from).join(to)
      return text
    })
    const insert = (table: string, row: Record<string, unknown>): Database.Statement =>
      db.prepare(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`)

    const schema = db.prepare<string[], { type: string, name: string, sql: string }>(
      `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => '?').join(', ')})`
    ).all(...TABLES)
    db.transaction(() => {
      db.prepare(`DELETE FROM streams WHERE seq = ?`).run(activity.seq)
      db.prepare('DELETE FROM objects WHERE id IN (?, ?)').run(templateActor, templateNote)
      db.prepare('DELETE FROM inbox_processed').run()
      for (const { type, name } of schema) db.exec(`DROP ${type.toUpperCase()} "${name}"`)
    })()

    const { activity: activityRow, note, actor, membership, embedded, processed } = rows
    const { seq: _seq, ...activityCols } = activityRow
    const addActor = insert('objects', actor)
    const addNote = note === undefined ? null : insert('objects', note)
    const addActivity = insert('streams', activityCols)
    const addMembership = insert('stream_collections', membership)
    const addEmbedded = embedded === undefined ? null : insert('stream_embedded_objects', embedded)
    const addProcessed = processed === undefined ? null : insert('inbox_processed', processed)
    const templateOrigin = new URL(templateActor).origin
    const ports = distinctPorts(LARGE_STORE.hosts)
    const actors: string[] = []
    db.transaction(() => {
      for (const port of ports) {
        for (let a = 0; a < LARGE_STORE.actorsPerHost; a++) {
          const id = `http://127.0.0.1:${port}/users/${crypto.randomBytes(6).toString('hex')}`
          actors.push(id)
          addActor.run(...rewrite(actor, [[templateActor, id], [templateOrigin, `http://127.0.0.1:${port}`]]))
        }
      }
    })()
    const batch = 50_000
    for (let done = 0; done < LARGE_STORE.activities; done += batch) {
      db.transaction(() => {
        for (let n = done; n < Math.min(done + batch, LARGE_STORE.activities); n++) {
          const actorId = actors[crypto.randomInt(actors.length)]
          const key = crypto.randomBytes(8).toString('hex')
          const pairs: Array<[string, string]> = [
            [templateActivity, `${actorId}/activities/${key}`], [templateNote, `${actorId}/notes/${key}`],
            [templateActor, actorId], ['Note 0 for the benchmark', `Note ${key} for the benchmark`]
          ]
          if (addNote !== null) addNote.run(...rewrite(note as Record<string, unknown>, pairs))
          const seq = Number(addActivity.run(...rewrite(activityCols, pairs)).lastInsertRowid)
          addMembership.run(...rewrite({ ...membership, seq }, pairs))
          if (addEmbedded !== null) addEmbedded.run(...rewrite({ ...embedded, seq }, pairs))
          if (addProcessed !== null && n >= LARGE_STORE.activities - REMEMBERED) addProcessed.run(...rewrite(processed as Record<string, unknown>, pairs))
        }
      })()
    }
    db.transaction(() => {
      for (const { sql } of schema) db.exec(sql)
      db.prepare('UPDATE collection_counts SET total = (SELECT COUNT(*) FROM stream_collections c WHERE c.collection = collection_counts.collection)').run()
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}

/** `count` distinct ports over the whole range, so a benchmark's peers (any port) land among them. */
function distinctPorts (count: number): number[] {
  const ports = new Set<number>()
  while (ports.size < count) ports.add(1024 + crypto.randomInt(65536 - 1024))
  return [...ports]
}
