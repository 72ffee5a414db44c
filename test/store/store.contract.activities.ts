/** Contract for apex's activity streams: activities, collection membership and collection pages. */
import type { ApexNode, ApexStore } from '../../src/store/store.port'
import { fixtures, withoutMeta } from './store.fixtures'

/** What the part uses of a store: apex's activity and stream methods, and saveObject for actors. */
export type ApexActivitiesStore = Pick<ApexStore, 'saveObject' | 'saveActivity' | 'getActivity' | 'removeActivity' | 'updateActivity' |
'updateActivityMeta' | 'updateObject' | 'findActivityByCollectionAndObjectId' | 'findActivityByCollectionAndActorId' | 'getStream' | 'getStreamCount'>

const INBOX = 'https://hub.test/u/alice/inbox'
const OUTBOX = 'https://hub.test/u/alice/outbox'

/** Registers the activity and stream part of the contract. */
export function describeApexActivityContract (store: () => ApexActivitiesStore): void {
  const alice = fixtures.actor('alice', { local: true })
  const bob = fixtures.actor('bob', { host: 'https://far.test' })
  const carol = fixtures.actor('carol', { host: 'https://far.test' })

  describe('activities', () => {
    const follow = fixtures.activity(1, 'Follow', bob.id, alice.id, [INBOX])

    it('saves an activity once and reads it back, _meta when includeMeta is truthy', async () => {
      expect(await store().saveActivity(follow)).toBe(true)
      const publicDoc = withoutMeta(follow)
      expect(await store().getActivity(follow.id)).toEqual(publicDoc)
      expect(await store().getActivity(follow.id, true)).toEqual(follow)
      expect(await store().getActivity('https://hub.test/s/404')).toBeNull()
    })

    it('a duplicate saveActivity answers falsy and changes nothing', async () => {
      await store().saveActivity(follow)
      expect(await store().saveActivity({ ...follow, type: 'Like', _meta: { collection: [OUTBOX] } })).toBeFalsy()
      expect(await store().getActivity(follow.id, true)).toEqual(follow)
      expect(await store().getStreamCount(OUTBOX)).toBe(0)
      expect(await store().getStreamCount(INBOX)).toBe(1)
    })

    it('finds the activity of a collection by its object or its actor', async () => {
      await store().saveActivity(follow)
      await store().saveActivity(fixtures.activity(2, 'Follow', carol.id, alice.id, [OUTBOX]))
      const publicDoc = withoutMeta(follow)
      expect(await store().findActivityByCollectionAndObjectId(INBOX, alice.id)).toEqual(publicDoc)
      expect(await store().findActivityByCollectionAndObjectId(INBOX, alice.id, true)).toEqual(follow)
      expect(await store().findActivityByCollectionAndObjectId(INBOX, bob.id)).toBeNull()
      expect(await store().findActivityByCollectionAndActorId(INBOX, bob.id)).toEqual(publicDoc)
      expect(await store().findActivityByCollectionAndActorId(INBOX, bob.id, true)).toEqual(follow)
      expect(await store().findActivityByCollectionAndActorId(INBOX, carol.id)).toBeNull()
      expect((await store().findActivityByCollectionAndActorId(OUTBOX, carol.id))?.id).toBe('https://hub.test/s/2')
    })

    it('finds an activity whose object is embedded, by the embedded id', async () => {
      const note = fixtures.note(1, bob.id)
      await store().saveActivity(fixtures.activity(3, 'Create', bob.id, note, [INBOX]))
      expect((await store().findActivityByCollectionAndObjectId(INBOX, note.id))?.id).toBe('https://hub.test/s/3')
    })

    it('counts the members of a collection', async () => {
      await store().saveActivity(fixtures.activity(1, 'Create', bob.id, 'https://far.test/o/1', [INBOX, OUTBOX]))
      await store().saveActivity(fixtures.activity(2, 'Create', bob.id, 'https://far.test/o/2', [INBOX]))
      expect(await store().getStreamCount(INBOX)).toBe(2)
      expect(await store().getStreamCount(OUTBOX)).toBe(1)
      expect(await store().getStreamCount('https://hub.test/none')).toBe(0)
    })

    it('removes an activity only for its own actor, with its collection membership', async () => {
      await store().saveActivity(follow)
      expect(await store().removeActivity({ id: follow.id }, carol.id)).toEqual({ deletedCount: 0 })
      expect(await store().getActivity(follow.id)).not.toBeNull()
      expect(await store().removeActivity({ id: follow.id }, bob.id)).toEqual({ deletedCount: 1 })
      expect(await store().getActivity(follow.id)).toBeNull()
      expect(await store().getStreamCount(INBOX)).toBe(0)
      expect(await store().findActivityByCollectionAndActorId(INBOX, bob.id)).toBeNull()
    })

    it('updateActivity with fullReplace replaces the document and answers it with the stored _meta', async () => {
      await store().saveActivity({ ...follow, summary: ['x'] })
      const replacement: ApexNode = { id: follow.id, type: 'Follow', actor: [bob.id], object: [carol.id] }
      expect(await store().updateActivity(replacement, true)).toEqual({ ...replacement, _meta: follow._meta })
      expect(await store().getActivity(follow.id, true)).toEqual({ ...replacement, _meta: follow._meta })
      expect((await store().findActivityByCollectionAndObjectId(INBOX, carol.id))?.id).toBe(follow.id)
      expect(await store().findActivityByCollectionAndObjectId(INBOX, alice.id)).toBeNull()
    })

    it('a partial updateActivity merges top-level keys, null deleting, and may move collections via _meta', async () => {
      await store().saveActivity({ ...follow, summary: ['x'] })
      const updated = await store().updateActivity({ id: follow.id, type: 'Follow', summary: null, likes: ['L'], _meta: { collection: [OUTBOX] } }, false)
      const publicDoc = withoutMeta(follow)
      expect(updated).toEqual({ ...publicDoc, likes: ['L'], _meta: { collection: [OUTBOX] } })
      expect(await store().getActivity(follow.id, true)).toEqual(updated)
      expect(await store().getStreamCount(INBOX)).toBe(0)
      expect(await store().getStreamCount(OUTBOX)).toBe(1)
    })

    it('updating an activity refreshes its copies embedded in other activities', async () => {
      const create = fixtures.activity(1, 'Create', bob.id, 'https://far.test/o/1', [INBOX])
      const createDoc = withoutMeta(create)
      await store().saveActivity(create)
      await store().saveActivity(fixtures.activity(2, 'Announce', carol.id, createDoc, [INBOX]))
      await store().updateActivity({ id: create.id, type: 'Create', likes: ['L'] }, false)
      expect((await store().getActivity('https://hub.test/s/2'))?.object).toEqual([{ ...createDoc, likes: ['L'] }])
    })

    it('updating an object refreshes every embedded copy, first or later in `object`, and leaves mere references alone', async () => {
      const note = fixtures.note(1, bob.id)
      const other = fixtures.note(2, bob.id)
      await store().saveObject(note)
      await store().saveObject(other)
      await store().saveActivity(fixtures.activity(1, 'Create', bob.id, note, [INBOX]))
      await store().saveActivity({ ...fixtures.activity(2, 'Add', bob.id, other, [INBOX]), object: [other, note] })
      await store().saveActivity(fixtures.activity(3, 'Like', carol.id, note.id, [INBOX]))
      await store().updateObject({ ...note, content: 'edited' }, bob.id, true)
      expect((await store().getActivity('https://hub.test/s/1'))?.object).toEqual([{ ...note, content: 'edited' }])
      expect((await store().getActivity('https://hub.test/s/2'))?.object).toEqual([other, { ...note, content: 'edited' }])
      expect((await store().getActivity('https://hub.test/s/3'))?.object).toEqual([note.id])
      await store().updateObject({ ...other, content: 'also edited' }, bob.id, true)
      expect((await store().getActivity('https://hub.test/s/2'))?.object).toEqual([{ ...other, content: 'also edited' }, { ...note, content: 'edited' }])
    })

    it('updateActivityMeta adds to and removes from a set, keeping collection membership in step', async () => {
      await store().saveActivity(follow)
      const added = await store().updateActivityMeta({ id: follow.id }, 'collection', OUTBOX)
      expect(added._meta?.collection).toEqual([INBOX, OUTBOX])
      expect(added.type).toBe('Follow')
      // a set: adding again is a no-op
      await store().updateActivityMeta({ id: follow.id }, 'collection', OUTBOX)
      expect((await store().getActivity(follow.id, true))?._meta?.collection).toEqual([INBOX, OUTBOX])
      expect(await store().getStreamCount(OUTBOX)).toBe(1)
      expect((await store().findActivityByCollectionAndActorId(OUTBOX, bob.id))?.id).toBe(follow.id)

      const removed = await store().updateActivityMeta({ id: follow.id }, 'collection', INBOX, true)
      expect(removed._meta?.collection).toEqual([OUTBOX])
      expect(await store().getStreamCount(INBOX)).toBe(0)
      expect(await store().findActivityByCollectionAndActorId(INBOX, bob.id)).toBeNull()
    })

    it('updateActivityMeta compares structured values by content and creates missing keys', async () => {
      await store().saveActivity(follow)
      await store().updateActivityMeta({ id: follow.id }, 'flags', { by: 'x', n: 1 })
      await store().updateActivityMeta({ id: follow.id }, 'flags', { by: 'x', n: 1 })
      await store().updateActivityMeta({ id: follow.id }, 'flags', { by: 'y', n: 2 })
      expect((await store().getActivity(follow.id, true))?._meta?.flags).toEqual([{ by: 'x', n: 1 }, { by: 'y', n: 2 }])
      await store().updateActivityMeta({ id: follow.id }, 'flags', { by: 'x', n: 1 }, true)
      expect((await store().getActivity(follow.id, true))?._meta?.flags).toEqual([{ by: 'y', n: 2 }])
    })

    it('updateActivityMeta throws for an unknown activity', async () => {
      await expect(store().updateActivityMeta({ id: 'https://hub.test/s/404' }, 'collection', INBOX))
        .rejects.toThrow('Error updating activity meta: not found')
    })
  })

  describe('getStream', () => {
    /** Saves n activities by `actorIds` in turn into INBOX; caches alice and bob (not carol). */
    async function seed (n: number, actorIds = [bob.id]): Promise<string[]> {
      await store().saveObject(alice)
      await store().saveObject(bob)
      const ids: string[] = []
      for (let i = 1; i <= n; i++) {
        const activity = fixtures.activity(i, 'Create', actorIds[(i - 1) % actorIds.length], fixtures.note(i, bob.id), [INBOX])
        await store().saveActivity(activity)
        ids.push(activity.id)
      }
      return ids
    }

    it('answers a collection newest first, with _id cursors and actors replaced by cached actor objects', async () => {
      const ids = await seed(3)
      await store().saveActivity(fixtures.activity(99, 'Create', bob.id, 'https://far.test/o/99', [OUTBOX]))
      const page = await store().getStream(INBOX, null)
      expect(page.map(a => a.id)).toEqual([...ids].reverse())
      const bobDoc = withoutMeta(bob)
      for (const item of page) {
        expect(typeof item._id).toBe('string')
        expect(item.actor).toEqual([bobDoc])
        expect(item._meta).toBeUndefined()
      }
      expect(page[0].object).toEqual([fixtures.note(3, bob.id)])
    })

    it('never exposes _meta of the actor or of embedded objects', async () => {
      await store().saveObject(alice)
      const embedded = { ...fixtures.note(1, alice.id), _meta: { secret: 'x' } }
      await store().saveActivity(fixtures.activity(1, 'Create', alice.id, embedded, [INBOX]))
      const [item] = await store().getStream(INBOX, 10)
      const aliceDoc = withoutMeta(alice)
      expect(item.actor).toEqual([aliceDoc])
      expect(item.object).toEqual([fixtures.note(1, alice.id)])
      expect(JSON.stringify(item)).not.toContain('PRIVATE-KEY')
    })

    it('pages with limit and the last item\'s _id as the next cursor', async () => {
      const ids = [...await seed(5)].reverse()
      const first = await store().getStream(INBOX, 2)
      expect(first.map(a => a.id)).toEqual(ids.slice(0, 2))
      const second = await store().getStream(INBOX, 2, first[1]._id)
      expect(second.map(a => a.id)).toEqual(ids.slice(2, 4))
      const third = await store().getStream(INBOX, 2, second[1]._id)
      expect(third.map(a => a.id)).toEqual(ids.slice(4))
      expect(await store().getStream(INBOX, 2, third[0]._id)).toEqual([])
      expect((await store().getStream(INBOX, 0)).length).toBe(5)
    })

    it('leaves out activities by blocked actors and by actors that are not cached', async () => {
      await seed(6, [alice.id, bob.id, carol.id])
      const all = await store().getStream(INBOX, null)
      expect(all.map(a => a.id)).toEqual(['https://hub.test/s/5', 'https://hub.test/s/4', 'https://hub.test/s/2', 'https://hub.test/s/1'])
      const unblocked = await store().getStream(INBOX, null, null, [bob.id])
      expect(unblocked.map(a => a.id)).toEqual(['https://hub.test/s/4', 'https://hub.test/s/1'])
    })

    it('refuses a malformed cursor with apex\'s "invalid page value" message', async () => {
      await seed(1)
      await expect(store().getStream(INBOX, 10, 'not a cursor')).rejects.toThrow('ApexStore: invalid page value')
      await expect(store().getStream(INBOX, 10, '-1')).rejects.toThrow('ApexStore: invalid page value')
    })
  })
}
