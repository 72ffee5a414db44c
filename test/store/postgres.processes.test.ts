import { PostgresApexDocuments } from '../../src/store/postgres/postgres.apex-documents'
import { postgresRepositories } from '../helpers/postgres-repositories'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { claimed } from './store.fixtures'
import { describeProcessesContract } from './processes.contract'

const pg = usePostgresTestStore()

/** The three apex methods the processes contract stores activities with. */
function apexActivities (apex: PostgresApexDocuments) {
  return {
    saveActivity: apex.saveActivity.bind(apex),
    getActivity: apex.getActivity.bind(apex),
    removeActivity: apex.removeActivity.bind(apex)
  }
}

// Two pools on one database, as two hub processes on two machines would have.
describeProcessesContract('PostgreSQL (two pools on one database)', () => {
  const [dbA, dbB] = [pg.db(), pg.connect()]
  return {
    a: { ...postgresRepositories(dbA, 'host-a:101:a'), ...apexActivities(new PostgresApexDocuments(dbA)) },
    b: { ...postgresRepositories(dbB, 'host-b:102:b'), ...apexActivities(new PostgresApexDocuments(dbB)) },
    close: () => {}
  }
})

describe('PostgreSQL queues across processes', () => {
  it('hands each due delivery to exactly one of several processes claiming at the same moment', async () => {
    const processes = [pg.db(), pg.connect(), pg.connect()].map((db, i) => postgresRepositories(db, `host-${i}:1:p`))
    await Promise.all(processes.map(async (p, i) => await p.processes.register({ machine: `m${i}`, pid: 1 })))
    const inboxes = Array.from({ length: 60 }, (_v, i) => `https://peer${i}.example/inbox`)
    await processes[0].deliveryControl.enqueue('https://hub.test/u/alpha', '{}', inboxes, null)
    const claims = await Promise.all(processes.flatMap(p => [0, 1, 2, 3].map(async () => await p.queue.claimDue(10))))
    const ids = claims.flatMap(c => c.deliveries.map(d => d.id))
    expect(ids).toHaveLength(60)
    expect(new Set(ids).size).toBe(60)
    // Leased to the live process that claimed it: nothing is released, until that process is gone.
    expect(await processes[0].processes.reap([])).toEqual({ processes: 0, deliveries: 0 })
    const heldBy2 = claims.slice(8).flatMap(c => c.deliveries).length
    expect(await processes[0].processes.reap([processes[2].processes.selfId])).toEqual({ processes: 1, deliveries: heldBy2 })
  })

  it('claims each inbound activity for one process when many ask at the same moment', async () => {
    const processes = [pg.db(), pg.connect(), pg.connect()].map((db, i) => postgresRepositories(db, `host-${i}:1:p`))
    await Promise.all(processes.map(async (p, i) => await p.processes.register({ machine: `m${i}`, pid: 1 })))
    const key = { sender: 'https://peer.example/u/p', activityId: 'https://peer.example/a/1', recipientId: 'https://hub.test/u/alpha' }
    const answers = await Promise.all(processes.flatMap(p => [0, 1, 2].map(async () => await p.inboxJournal.claim(key, 'https://hub.test/u/alpha/inbox', p.processes.selfId))))
    expect(answers.filter(a => a === 'claimed')).toHaveLength(1)
    expect(answers.filter(a => a === 'busy')).toHaveLength(8)
  })

  it('stores each inbound activity once when several processes receive overlapping batches in different orders', async () => {
    const processes = [pg.db(), pg.connect(), pg.connect()].map((db, i) => postgresRepositories(db, `host-${i}:1:p`))
    await Promise.all(processes.map(async (p, i) => await p.processes.register({ machine: `m${i}`, pid: 1 })))
    const inbox = 'https://hub.test/u/alpha/inbox'
    const receipts = Array.from({ length: 12 }, (_v, n) => {
      const activity = { id: `https://peer.example/a/${n}`, type: 'Create', actor: ['https://peer.example/u/p'], _meta: { collection: [inbox] } }
      return { key: { sender: 'https://peer.example/u/p', activityId: activity.id, recipientId: 'https://hub.test/u/alpha' }, inbox, activity }
    })
    const batches = [receipts, [...receipts].reverse(), [...receipts.slice(6), ...receipts.slice(0, 6)]]
    const answers = await Promise.all(processes.map(async (p, i) => await p.inboxJournal.receive(batches[i], p.processes.selfId)))
    const byActivity = new Map<string, string[]>()
    answers.forEach((results, i) => results.forEach((r, j) => {
      const id = batches[i][j].activity.id
      byActivity.set(id, [...byActivity.get(id) ?? [], r.claim === 'claimed' ? `claimed:${String(r.isNew)}` : r.claim])
    }))
    for (const claims of byActivity.values()) expect(claims.sort()).toEqual(['busy', 'busy', 'claimed:true'])
    expect((await processes[1].getActivity('https://peer.example/a/11', true))?._meta?.collection).toEqual([inbox])
  })

  it('resolves each published audience once when several processes claim and finish jobs together', async () => {
    const processes = [pg.db(), pg.connect()].map((db, i) => postgresRepositories(db, `host-${i}:1:p`))
    const actor = 'https://hub.test/u/alpha'
    for (let n = 0; n < 10; n++) await processes[0].outbox.publish({ resolution: { activityId: `${actor}/s/${n}`, actorId: actor, body: '{}', audience: [`${actor}/followers`], orderingKey: null } })
    const [jobsA, jobsB] = await Promise.all(processes.map(async p => await p.outbox.claimResolutions(10)))
    expect(jobsA.length + jobsB.length).toBe(10)
    expect(new Set([...jobsA, ...jobsB].map(j => j.id)).size).toBe(10)
    const inboxes = ['https://one.example/inbox', 'https://two.example/inbox']
    // A job finished twice (a lease ran out and another process took it) queues its deliveries once.
    await Promise.all([...jobsA, ...jobsA].map(async j => await processes[0].outbox.finishResolution(j.id, inboxes)))
    await Promise.all(jobsB.map(async j => await processes[1].outbox.finishResolution(j.id, [...inboxes, inboxes[0]])))
    expect(await processes[1].queue.queueSize()).toBe(20)
    expect(await processes[0].outbox.pendingResolutions()).toBe(0)
    expect(claimed(await processes[1].deliveryDequeue()).body).toBe('{}')
  })
})
