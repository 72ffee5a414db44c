/** Contract for the hub's own records: co-ops, tokens, services, follows, settings, transactions. */
import type { ApexNode, CoopRecord, FollowRequest, OutgoingFollow } from '../../src/store/store.port'
import { describeDeliveryQueueContract } from './store.contract.deliveries'
import { fixtures, rejectionOf, type StoreRef } from './store.fixtures'
import { poolRecord } from './pool.contract'

const T0 = '2024-01-01T00:00:00.000Z'

function coop (username: string): CoopRecord {
  return { username, actorId: `https://hub.test/u/${username}`, followPolicy: 'automatic', createdAt: T0 }
}

function outgoing (n: number, local: string, target: string, over: Partial<OutgoingFollow> = {}): OutgoingFollow {
  return { followId: `https://hub.test/s/f${n}`, localActorId: local, targetActorId: target, state: 'pending', updatedAt: T0, ...over }
}

function request (n: number, local: string, remote: string, over: Partial<FollowRequest> = {}): FollowRequest {
  return { followId: `https://far.test/s/r${n}`, localActorId: local, remoteActorId: remote, state: 'pending', receivedAt: T0, ...over }
}

/** Registers the hub-queries part of the contract (and the delivery queue's). */
export function describeHubQueriesContract (store: StoreRef): void {
  describeDeliveryQueueContract(store)

  describe('co-ops', () => {
    it('saves, finds by username or actor id, lists and changes the follow policy', async () => {
      await store().saveCoop(coop('zeta'))
      await store().saveCoop(coop('alpha'))
      expect(await store().getCoop('alpha')).toEqual(coop('alpha'))
      expect(await store().getCoopByActorId('https://hub.test/u/zeta')).toEqual(coop('zeta'))
      expect(await store().getCoop('nobody')).toBeNull()
      expect(await store().getCoopByActorId('https://hub.test/u/nobody')).toBeNull()
      const listed = await store().listCoops()
      expect([...listed].sort((a, b) => a.username.localeCompare(b.username))).toEqual([coop('alpha'), coop('zeta')])

      await store().setFollowPolicy('alpha', 'approval')
      expect((await store().getCoop('alpha'))?.followPolicy).toBe('approval')
      expect((await store().getCoop('zeta'))?.followPolicy).toBe('automatic')
    })

    it('refuses a second co-op with a taken username or actor id', async () => {
      await store().saveCoop(coop('alpha'))
      expect(await rejectionOf(async () => await store().saveCoop({ ...coop('alpha'), actorId: 'https://hub.test/u/other' }))).toHaveProperty('message')
      expect(await rejectionOf(async () => await store().saveCoop({ ...coop('beta'), actorId: coop('alpha').actorId }))).toHaveProperty('message')
      expect(await store().listCoops()).toEqual([coop('alpha')])
    })
  })

  describe('change stamps', () => {
    it('answer a new stamp of a kind after a write of that kind: a value read before it is never taken as current', async () => {
      const before = await store().changeStamps()
      await store().saveObject({ id: 'https://hub.test/o/stamped', type: 'Note' })
      const afterObject = await store().changeStamps()
      expect(afterObject.documents).not.toBe(before.documents)
      await store().domainBlocks.add({ domain: 'stamped.test', reason: '', createdAt: T0 })
      const afterBlock = await store().changeStamps()
      expect(afterBlock.domainBlocks).not.toBe(afterObject.domainBlocks)
      const coop = 'https://hub.test/u/alpha'
      await store().saveActivity({ id: `${coop}/blocks/stamped`, type: 'Block', actor: [coop], object: ['https://elsewhere.test/u/pest'], _meta: { collection: [`${coop}/blocked`] } } as unknown as ApexNode)
      expect((await store().changeStamps()).blockedCollections).not.toBe(afterBlock.blockedCollections)
    })
  })

  describe('reads answered at once', () => {
    it('answer nothing, or what their async forms answer', async () => {
      await store().saveObject({ id: 'https://hub.test/o/held-at-once', type: 'Note' })
      for (const id of ['https://hub.test/o/held-at-once', 'https://hub.test/o/not-held']) {
        expect([undefined, await store().holdsId(id)]).toContain(store().holdsIdNow(id))
      }
      const now = store().changeStampsNow()
      // PostgreSQL keeps no stamps and answers none at once; an embedded store the current ones.
      if (now !== null) expect(now).toEqual(await store().changeStamps())
    })
  })

  describe('holdsId', () => {
    it('answers whether an object, an activity, an object inside a received Create, a service or a pool is held under an id', async () => {
      const actor = fixtures.actor('alpha').id
      const held = {
        object: fixtures.note(1, actor),
        activity: fixtures.activity(1, 'Like', actor, 'https://elsewhere.test/o/liked'),
        inCreate: { id: 'https://hub.test/o/in-create', type: 'Note', attributedTo: [actor] },
        service: fixtures.service('files'),
        pool: poolRecord('https://hub.test/o/pool')
      }
      for (const id of [held.object.id, held.activity.id, held.inCreate.id, held.service.id, held.pool.id]) expect(await store().holdsId(id)).toBe(false)
      await store().saveObject(held.object)
      await store().saveActivity(held.activity)
      await store().saveActivity(fixtures.activity(2, 'Create', actor, held.inCreate))
      await store().upsertService(held.service)
      await store().pools.savePool(held.pool)
      for (const id of [held.object.id, held.activity.id, held.inCreate.id, held.service.id, held.pool.id]) expect(await store().holdsId(id)).toBe(true)
      // The object a Like names is not held: only a Create holds the object it carries.
      expect(await store().holdsId('https://elsewhere.test/o/liked')).toBe(false)
    })
  })

  describe('tokens', () => {
    it('saves a token by hash and finds it', async () => {
      const token = { hash: 'ab'.repeat(32), scope: '*', label: 'admin', createdAt: T0 }
      await store().saveToken(token)
      expect(await store().findToken(token.hash)).toEqual(token)
      expect(await store().findToken('cd'.repeat(32))).toBeNull()
    })
  })

  describe('services', () => {
    it('upserts: created first, updated after, and answers what was stored', async () => {
      const service = fixtures.service('files')
      expect(await store().upsertService(service)).toBe('created')
      expect(await store().getService(service.id)).toEqual(service)
      const changed = { ...service, category: 'compute', local: false, object: { ...service.object, name: ['renamed'] }, updatedAt: '2024-02-01T00:00:00.000Z' }
      expect(await store().upsertService(changed)).toBe('updated')
      expect(await store().getService(service.id)).toEqual(changed)
      expect(await store().getService('https://hub.test/services/none')).toBeNull()
    })

    it('deletes a service, answering whether it existed', async () => {
      const service = fixtures.service('files')
      await store().upsertService(service)
      expect(await store().deleteService(service.id)).toBe(true)
      expect(await store().getService(service.id)).toBeNull()
      expect(await store().deleteService(service.id)).toBe(false)
    })

    it('lists services by actor, category and locality, most recently updated first', async () => {
      const a = fixtures.service('a', { updatedAt: '2024-01-01T00:00:00.000Z' })
      const b = fixtures.service('b', { category: 'compute', updatedAt: '2024-03-01T00:00:00.000Z' })
      const c = fixtures.service('c', { actorId: 'https://far.test/u/x', local: false, updatedAt: '2024-02-01T00:00:00.000Z' })
      for (const s of [a, b, c]) await store().upsertService(s)
      const ids = async (filter: Parameters<ReturnType<StoreRef>['listServices']>[0]): Promise<string[]> =>
        (await store().listServices(filter)).map(s => s.id)
      expect(await ids({})).toEqual([b.id, c.id, a.id])
      expect(await ids({ actorId: a.actorId })).toEqual([b.id, a.id])
      expect(await ids({ category: 'storage' })).toEqual([c.id, a.id])
      expect(await ids({ local: false })).toEqual([c.id])
      expect(await ids({ local: true, category: 'storage' })).toEqual([a.id])
      expect((await store().listServices({ local: false }))[0]).toEqual(c)
    })
  })

  describe('outgoing follows', () => {
    const alpha = 'https://hub.test/u/alpha'
    const beta = 'https://hub.test/u/beta'
    const remote = 'https://far.test/u/x'

    it('saves, finds by pair, changes state and lists', async () => {
      await store().saveOutgoingFollow(outgoing(1, alpha, remote))
      await store().saveOutgoingFollow(outgoing(2, beta, remote, { updatedAt: '2024-01-02T00:00:00.000Z' }))
      expect(await store().findOutgoingFollow(alpha, remote)).toEqual(outgoing(1, alpha, remote))
      expect(await store().findOutgoingFollow(alpha, 'https://far.test/u/none')).toBeNull()

      expect(await store().setOutgoingFollowState(outgoing(1, alpha, remote).followId, 'accepted')).toBe(true)
      expect(await store().setOutgoingFollowState('https://hub.test/s/none', 'accepted')).toBe(false)
      const accepted = await store().findOutgoingFollow(alpha, remote)
      expect(accepted?.state).toBe('accepted')
      expect(accepted?.updatedAt).not.toBe(T0)

      expect((await store().listOutgoingFollows(alpha)).map(f => f.followId)).toEqual([outgoing(1, alpha, remote).followId])
      expect((await store().listOutgoingFollows()).map(f => f.followId).sort())
        .toEqual([outgoing(1, alpha, remote).followId, outgoing(2, beta, remote).followId].sort())
    })

    it('saving an existing follow id replaces it', async () => {
      await store().saveOutgoingFollow(outgoing(1, alpha, remote))
      await store().saveOutgoingFollow(outgoing(1, alpha, remote, { state: 'rejected' }))
      expect(await store().listOutgoingFollows(alpha)).toEqual([outgoing(1, alpha, remote, { state: 'rejected' })])
    })

    it('an actor is followed by the hub only while some co-op\'s follow of it is accepted', async () => {
      await store().saveOutgoingFollow(outgoing(1, alpha, remote))
      expect(await store().isFollowedByAnyCoop(remote)).toBe(false)
      await store().setOutgoingFollowState(outgoing(1, alpha, remote).followId, 'accepted')
      expect(await store().isFollowedByAnyCoop(remote)).toBe(true)
      expect(await store().isFollowedByAnyCoop(alpha)).toBe(false)
      await store().setOutgoingFollowState(outgoing(1, alpha, remote).followId, 'rejected')
      expect(await store().isFollowedByAnyCoop(remote)).toBe(false)
    })
  })

  describe('follow requests', () => {
    const alpha = 'https://hub.test/u/alpha'
    const beta = 'https://hub.test/u/beta'

    it('saves, gets, changes state and lists per co-op, optionally by state', async () => {
      const r1 = request(1, alpha, 'https://far.test/u/x')
      const r2 = request(2, alpha, 'https://far.test/u/y', { receivedAt: '2024-01-02T00:00:00.000Z' })
      const r3 = request(3, beta, 'https://far.test/u/x')
      for (const r of [r1, r2, r3]) await store().saveFollowRequest(r)
      expect(await store().getFollowRequest(r1.followId)).toEqual(r1)
      expect(await store().getFollowRequest('https://far.test/s/none')).toBeNull()

      expect(await store().setFollowRequestState(r2.followId, 'accepted')).toBe(true)
      expect(await store().setFollowRequestState('https://far.test/s/none', 'accepted')).toBe(false)
      expect((await store().getFollowRequest(r2.followId))?.state).toBe('accepted')

      expect((await store().listFollowRequests(alpha)).map(r => r.followId).sort()).toEqual([r1.followId, r2.followId].sort())
      expect(await store().listFollowRequests(alpha, 'pending')).toEqual([r1])
      expect(await store().listFollowRequests(alpha, 'accepted')).toEqual([{ ...r2, state: 'accepted' }])
      expect(await store().listFollowRequests(beta, 'accepted')).toEqual([])
    })
  })

  describe('settings', () => {
    it('gets null for an unknown key and the last value set otherwise', async () => {
      expect(await store().getSetting('instance.name')).toBeNull()
      await store().setSetting('instance.name', 'one')
      await store().setSetting('instance.name', 'two')
      expect(await store().getSetting('instance.name')).toBe('two')
    })

    it('claimSetting stores a value only where none is, and answers the one that holds; of simultaneous claims one wins', async () => {
      expect(await store().claimSetting('claimed', 'first')).toBe('first')
      expect(await store().claimSetting('claimed', 'second')).toBe('first')
      expect(await store().getSetting('claimed')).toBe('first')
      const answers = await Promise.all(['a', 'b', 'c', 'd'].map(async v => await store().claimSetting('raced', v)))
      expect(new Set(answers).size).toBe(1)
      expect(await store().getSetting('raced')).toBe(answers[0])
    })
  })

  describe('transaction', () => {
    it('answers what the work answers and keeps its writes', async () => {
      const result = await store().transaction(async () => {
        await store().setSetting('a', '1')
        await store().saveCoop(coop('alpha'))
        return 42
      })
      expect(result).toBe(42)
      expect(await store().getSetting('a')).toBe('1')
      expect(await store().getCoop('alpha')).toEqual(coop('alpha'))
    })

    it('stores none of the work when it throws', async () => {
      await expect(store().transaction(async () => {
        await store().setSetting('a', '1')
        await store().saveCoop(coop('alpha'))
        throw new Error('boom')
      })).rejects.toThrow('boom')
      expect(await store().getSetting('a')).toBeNull()
      expect(await store().getCoop('alpha')).toBeNull()
    })

    it('spans every part of the port, across awaits: a failure after them rolls all of them back', async () => {
      const object = { id: 'https://hub.test/o/spanned', type: 'Note' }
      await expect(store().transaction(async () => {
        await store().saveObject(object)
        await store().domainBlocks.add({ domain: 'spam.test', reason: 'spam', createdAt: '2024-01-01T00:00:00.000Z' })
        await new Promise(resolve => setTimeout(resolve, 5))
        await store().setSetting('a', '1')
        throw new Error('late failure')
      })).rejects.toThrow('late failure')
      expect(await store().getObject(object.id)).toBeNull()
      expect(await store().domainBlocks.list()).toEqual([])
      expect(await store().getSetting('a')).toBeNull()
    })

    it('allows nested transactions, committing with the outer one', async () => {
      await store().transaction(async () => {
        await store().setSetting('outer', '1')
        await store().transaction(async () => await store().setSetting('inner', '1'))
      })
      expect(await store().getSetting('outer')).toBe('1')
      expect(await store().getSetting('inner')).toBe('1')
    })

    it('rolls back nested work when the outer transaction fails', async () => {
      await expect(store().transaction(async () => {
        await store().transaction(async () => await store().setSetting('inner', '1'))
        throw new Error('outer fails')
      })).rejects.toThrow('outer fails')
      expect(await store().getSetting('inner')).toBeNull()
    })

    it('rolls back a failed nested transaction alone, keeping the outer work', async () => {
      await store().transaction(async () => {
        await store().setSetting('outer', '1')
        await expect(store().transaction(async () => {
          await store().setSetting('inner', '1')
          throw new Error('inner fails')
        })).rejects.toThrow('inner fails')
      })
      expect(await store().getSetting('outer')).toBe('1')
      expect(await store().getSetting('inner')).toBeNull()
    })

    it('never interleaves two concurrent transactions: one failing leaves the other whole', async () => {
      const failing = store().transaction(async () => {
        await store().setSetting('first', '1')
        await new Promise(resolve => setTimeout(resolve, 20))
        await store().setSetting('first.more', '1')
        throw new Error('first fails')
      })
      const committing = store().transaction(async () => {
        await store().setSetting('second', '1')
        await new Promise(resolve => setTimeout(resolve, 5))
        await store().saveCoop(coop('beta'))
        return 'second'
      })
      const [first, second] = await Promise.allSettled([failing, committing])
      expect(first).toMatchObject({ status: 'rejected', reason: new Error('first fails') })
      expect(second).toEqual({ status: 'fulfilled', value: 'second' })
      expect(await store().getSetting('first')).toBeNull()
      expect(await store().getSetting('first.more')).toBeNull()
      expect(await store().getSetting('second')).toBe('1')
      expect(await store().getCoop('beta')).toEqual(coop('beta'))
    })

    it('keeps calls made outside an open transaction out of it: they neither see its writes nor roll back with it', async () => {
      let release: () => void = () => {}
      const released = new Promise<void>(resolve => { release = resolve })
      let opened: () => void = () => {}
      const isOpen = new Promise<void>(resolve => { opened = resolve })
      const failing = store().transaction(async () => {
        await store().setSetting('inside', '1')
        opened()
        await released
        throw new Error('rolled back')
      })
      await isOpen
      // Not awaited before the release: an adapter may hold them until the transaction ends.
      const outsideWrite = store().setSetting('outside', '1')
      const outsideRead = store().getSetting('inside')
      release()
      await expect(failing).rejects.toThrow('rolled back')
      await outsideWrite
      expect(await outsideRead).toBeNull()
      expect(await store().getSetting('outside')).toBe('1')
      expect(await store().getSetting('inside')).toBeNull()
    })
  })
}
