/**
 * Migration 21: an inbox membership (one naming its recipient) is added without its actor's
 * delivery target; a membership of any other collection still takes it, and an actor's new
 * target still reaches every membership of its activities.
 */
import Database from 'better-sqlite3'
import { migrate } from '../../src/store/sqlite/migrations'

const ACTOR = 'https://peer.example/actor'
const FOLLOWERS = 'https://hub.example/u/coop/followers'
const INBOX = 'https://hub.example/u/coop/inbox'
const RECIPIENT = 'https://hub.example/u/coop'

describe('SQLite migration 21: no delivery target looked up for an inbox membership', () => {
  it('adds an inbox membership without a target and a followers membership with one', () => {
    const db = new Database(':memory:')
    migrate(db)
    db.prepare('INSERT INTO objects (id, type, doc, delivery_target) VALUES (?, ?, ?, ?)').run(ACTOR, 'Person', '{}', 'https://peer.example/inbox')
    const seq = Number(db.prepare("INSERT INTO streams (id, type, actor_id, doc) VALUES ('https://peer.example/follow/1', 'Follow', ?, '{}')").run(ACTOR).lastInsertRowid)
    const member = db.prepare('INSERT INTO stream_collections (collection, seq, recipient) VALUES (?, ?, ?)')
    member.run(INBOX, seq, RECIPIENT)
    member.run(FOLLOWERS, seq, null)
    const target = db.prepare<[string], { target: string | null }>('SELECT target FROM stream_collections WHERE collection = ?')
    expect(target.get(INBOX)).toEqual({ target: null })
    expect(target.get(FOLLOWERS)).toEqual({ target: 'https://peer.example/inbox' })
    // Counted as before: the trigger on the count is not the one changed.
    expect(db.prepare('SELECT collection, total FROM collection_counts ORDER BY collection').all())
      .toEqual([{ collection: FOLLOWERS, total: 1 }, { collection: INBOX, total: 1 }])
    // An actor moving to a shared inbox still passes its target on to its activities' memberships.
    db.prepare('UPDATE objects SET delivery_target = ? WHERE id = ?').run('https://peer.example/shared', ACTOR)
    expect(target.get(FOLLOWERS)).toEqual({ target: 'https://peer.example/shared' })
    db.close()
  })
})
