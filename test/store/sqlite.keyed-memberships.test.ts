/**
 * Migration 19 rebuilds `stream_collections` in the order of its key: a store migrated from 18
 * keeps every membership, its target, its recipient and the counts, and the triggers that keep
 * counts and targets act on the rebuilt table as before.
 */
import Database from 'better-sqlite3'
import { migrate, migrations } from '../../src/store/sqlite/migrations'

const ACTOR = 'https://peer.example/actor'
const FOLLOWERS = 'https://hub.example/u/coop/followers'
const INBOX = 'https://hub.example/u/coop/inbox'
const RECIPIENT = 'https://hub.example/u/coop'

/** A database at migration 18 holding an actor, two of its activities and three memberships. */
function storeAt18 (): Database.Database {
  const db = new Database(':memory:')
  migrate(db, migrations.filter(m => m.version <= 18))
  db.prepare('INSERT INTO objects (id, type, doc, delivery_target) VALUES (?, ?, ?, ?)').run(ACTOR, 'Person', '{}', 'https://peer.example/inbox')
  const activity = db.prepare("INSERT INTO streams (id, type, actor_id, doc) VALUES (?, 'Follow', ?, '{}')")
  const follow = Number(activity.run('https://peer.example/follow/1', ACTOR).lastInsertRowid)
  const create = Number(activity.run('https://peer.example/create/1', ACTOR).lastInsertRowid)
  const member = db.prepare('INSERT INTO stream_collections (collection, seq, recipient) VALUES (?, ?, ?)')
  member.run(FOLLOWERS, follow, null)
  member.run(INBOX, follow, RECIPIENT)
  member.run(INBOX, create, RECIPIENT)
  return db
}

const memberships = (db: Database.Database): unknown[] =>
  db.prepare('SELECT collection, seq, target, recipient FROM stream_collections ORDER BY collection, seq').all()
const counts = (db: Database.Database): unknown[] =>
  db.prepare('SELECT collection, total FROM collection_counts ORDER BY collection').all()

describe('SQLite migration 19: memberships kept in the order of their key', () => {
  it('keeps every membership with its target and recipient, and the counts', () => {
    const db = storeAt18()
    const before = { memberships: memberships(db), counts: counts(db) }
    expect(before.counts).toEqual([{ collection: FOLLOWERS, total: 1 }, { collection: INBOX, total: 2 }])
    expect(migrate(db, migrations.filter(m => m.version <= 19))).toEqual([19])
    expect({ memberships: memberships(db), counts: counts(db) }).toEqual(before)
    const table = db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'stream_collections'").get()
    expect(table?.sql).toMatch(/WITHOUT ROWID/)
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stream_collections' AND sql IS NOT NULL ORDER BY name").all()
    expect(indexes).toEqual([{ name: 'stream_collections_seq' }])
    db.close()
  })

  it('counts, targets and removals still follow the rows through the triggers', () => {
    const db = storeAt18()
    migrate(db)
    const seq = Number(db.prepare("INSERT INTO streams (id, type, actor_id, doc) VALUES ('https://peer.example/follow/2', 'Follow', ?, '{}')").run(ACTOR).lastInsertRowid)
    db.prepare('INSERT INTO stream_collections (collection, seq) VALUES (?, ?)').run(FOLLOWERS, seq)
    expect(db.prepare('SELECT target FROM stream_collections WHERE collection = ? AND seq = ?').get(FOLLOWERS, seq)).toEqual({ target: 'https://peer.example/inbox' })
    expect(db.prepare('SELECT total FROM collection_counts WHERE collection = ?').get(FOLLOWERS)).toEqual({ total: 2 })
    // The actor moves to a shared inbox: every membership of its activities takes the new target.
    db.prepare('UPDATE objects SET delivery_target = ? WHERE id = ?').run('https://peer.example/shared', ACTOR)
    expect(db.prepare('SELECT DISTINCT target FROM stream_collections').all()).toEqual([{ target: 'https://peer.example/shared' }])
    // An activity removed takes its memberships with it, and the counts follow.
    db.prepare('DELETE FROM streams WHERE seq = ?').run(seq)
    expect(counts(db)).toEqual([{ collection: FOLLOWERS, total: 1 }, { collection: INBOX, total: 2 }])
    expect(db.prepare('SELECT COUNT(*) AS n FROM stream_collections WHERE seq = ?').get(seq)).toEqual({ n: 0 })
    db.close()
  })
})
