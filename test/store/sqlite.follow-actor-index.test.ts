/**
 * Migration 22: activities are indexed by actor only for Follows. A Follow's memberships still
 * take their actor's delivery target, when added and whenever the actor's target changes; other
 * activities' memberships take none; an actor's Follows are found by the partial index, not by a
 * scan of every activity.
 */
import Database from 'better-sqlite3'
import { migrate, migrations } from '../../src/store/sqlite/migrations'

const ACTOR = 'https://peer.example/actor'
const FOLLOWERS = 'https://hub.example/u/coop/followers'
const LIKED = 'https://hub.example/u/coop/liked'

function activity (db: Database.Database, id: string, type: string): number {
  return Number(db.prepare("INSERT INTO streams (id, type, actor_id, doc) VALUES (?, ?, ?, '{}')").run(id, type, ACTOR).lastInsertRowid)
}

function targetOf (db: Database.Database, collection: string, seq: number): string | null {
  return (db.prepare<[string, number], { target: string | null }>('SELECT target FROM stream_collections WHERE collection = ? AND seq = ?').get(collection, seq) as { target: string | null }).target
}

function indexNames (db: Database.Database): string[] {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'streams' ORDER BY name").all().map(r => r.name)
}

describe('SQLite migration 22: activities indexed by actor only for Follows', () => {
  it('gives a Follow\'s membership its actor\'s target, when added and when the actor moves, and other activities\' none', () => {
    const db = new Database(':memory:')
    migrate(db)
    const follow = activity(db, 'https://peer.example/follow/1', 'Follow')
    const like = activity(db, 'https://peer.example/like/1', 'Like')
    const member = db.prepare('INSERT INTO stream_collections (collection, seq) VALUES (?, ?)')
    member.run(FOLLOWERS, follow)
    member.run(LIKED, like)
    // The actor is cached after its activities: its target reaches the Follow's membership only.
    db.prepare('INSERT INTO objects (id, type, doc, delivery_target) VALUES (?, ?, ?, ?)').run(ACTOR, 'Person', '{}', 'https://peer.example/inbox')
    expect(targetOf(db, FOLLOWERS, follow)).toBe('https://peer.example/inbox')
    expect(targetOf(db, LIKED, like)).toBeNull()
    // A membership added once the actor is cached takes the target at once.
    const second = activity(db, 'https://peer.example/follow/2', 'Follow')
    member.run(FOLLOWERS, second)
    expect(targetOf(db, FOLLOWERS, second)).toBe('https://peer.example/inbox')
    db.prepare('UPDATE objects SET delivery_target = ? WHERE id = ?').run('https://peer.example/shared', ACTOR)
    expect([targetOf(db, FOLLOWERS, follow), targetOf(db, FOLLOWERS, second), targetOf(db, LIKED, like)])
      .toEqual(['https://peer.example/shared', 'https://peer.example/shared', null])
    // An activity rewritten as another type loses the target; rewritten as a Follow it takes it.
    db.prepare("UPDATE streams SET type = 'Undo' WHERE seq = ?").run(second)
    expect(targetOf(db, FOLLOWERS, second)).toBeNull()
    db.prepare("UPDATE streams SET type = 'Follow' WHERE seq = ?").run(like)
    expect(targetOf(db, LIKED, like)).toBe('https://peer.example/shared')
    db.close()
  })

  it('finds an actor\'s Follows by the partial index, and keeps no index of every activity by actor', () => {
    const db = new Database(':memory:')
    migrate(db)
    expect(indexNames(db)).toContain('streams_follow_actor')
    expect(indexNames(db)).not.toContain('streams_actor_id')
    const plan = db.prepare<[string], { detail: string }>("EXPLAIN QUERY PLAN SELECT seq FROM streams WHERE actor_id = ? AND type = 'Follow'").all(ACTOR)
    expect(plan.map(row => row.detail).join('\n')).toMatch(/USING (COVERING )?INDEX streams_follow_actor \(actor_id=\?\)/)
    db.close()
  })

  it('replaces the index on a store made by earlier versions and keeps its targets', () => {
    const db = new Database(':memory:')
    migrate(db, migrations.filter(m => m.version <= 21))
    db.prepare('INSERT INTO objects (id, type, doc, delivery_target) VALUES (?, ?, ?, ?)').run(ACTOR, 'Person', '{}', 'https://peer.example/inbox')
    const follow = activity(db, 'https://peer.example/follow/1', 'Follow')
    db.prepare('INSERT INTO stream_collections (collection, seq) VALUES (?, ?)').run(FOLLOWERS, follow)
    expect(indexNames(db)).toContain('streams_actor_id')
    expect(migrate(db, migrations.filter(m => m.version <= 22))).toEqual([22])
    expect(indexNames(db)).not.toContain('streams_actor_id')
    expect(targetOf(db, FOLLOWERS, follow)).toBe('https://peer.example/inbox')
    db.prepare('UPDATE objects SET delivery_target = ? WHERE id = ?').run('https://peer.example/shared', ACTOR)
    expect(targetOf(db, FOLLOWERS, follow)).toBe('https://peer.example/shared')
    db.close()
  })
})
