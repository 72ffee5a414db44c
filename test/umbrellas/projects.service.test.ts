import { NotFoundError, ValidationError } from '../../src/errors/app-errors'
import { poolRecord } from '../store/pool.contract'
import { ALPHA, BETA, Bench, openBench, OUTSIDER, UMBRELLA } from './umbrella-work.fixtures'

let bench: Bench
beforeEach(() => { bench = openBench() })
afterEach(() => bench.close())

const PROJECT = `${UMBRELLA}/projects/sync`
const POOL = 'https://u.test/o/pool'
const body = {
  name: 'Better sync', summary: 'Faster file sync for every member', upstream: { name: 'Nextcloud', url: 'https://nextcloud.com' },
  milestones: [{ name: 'Design', status: 'active' }, { name: 'Build', status: 'planned', due: '2026-06-01T00:00:00Z' }], poolId: POOL
}

function commitment (member: string, id: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { id, type: ['vf:Commitment', 'ioo:ProjectCommitment'], attributedTo: member, provider: member, receiver: UMBRELLA, context: PROJECT, ...extra }
}

describe('ProjectsService', () => {
  beforeEach(async () => { await bench.store.pools.savePool(poolRecord(POOL, { stewardId: UMBRELLA })) })

  it('creates a project as a Page and updates it; a milestone marked done reaches every member', async () => {
    const { created } = await bench.projects.put(UMBRELLA, 'sync', body)
    expect(created).toBe(true)
    expect(bench.sent[0]).toMatchObject({ type: 'Create', actor: UMBRELLA, cc: [`${UMBRELLA}/followers`, ALPHA, BETA] })
    expect(bench.sent[0].object).toMatchObject({ id: PROJECT, type: ['Page', 'vf:Plan', 'ioo:SharedProject'], name: 'Better sync', url: PROJECT, fundedBy: [POOL] })
    const again = await bench.projects.put(UMBRELLA, 'sync', { ...body, milestones: [{ name: 'Design', status: 'done' }, body.milestones[1]] })
    expect(again.created).toBe(false)
    expect(bench.sent[1]).toMatchObject({ type: 'Update', object: { milestones: [{ type: 'ioo:Milestone', name: 'Design', milestoneStatus: 'done' }, { name: 'Build', endTime: '2026-06-01T00:00:00Z', milestoneStatus: 'planned' }] } })
    await expect(bench.projects.put(UMBRELLA, 'sync', { ...body, milestones: [{ name: 'Design', status: 'active' }] })).rejects.toThrow('is done and cannot go back to active')
    expect((await bench.projects.view(PROJECT)).milestones[0].status).toBe('done')
  })

  it('refuses a pool the umbrella does not steward, a bad key and a bad body', async () => {
    await bench.store.pools.savePool(poolRecord('https://a.test/o/other', { stewardId: ALPHA }))
    await expect(bench.projects.put(UMBRELLA, 'sync', { ...body, poolId: 'https://a.test/o/other' })).rejects.toThrow('pool the umbrella stewards')
    await expect(bench.projects.put(UMBRELLA, 'Sync!', body)).rejects.toBeInstanceOf(ValidationError)
    await expect(bench.projects.put(UMBRELLA, 'sync', { ...body, summary: '' })).rejects.toBeInstanceOf(ValidationError)
    await expect(bench.projects.view(PROJECT)).rejects.toBeInstanceOf(NotFoundError)
    expect(bench.sent).toEqual([])
  })

  it('totals members\' commitments exactly (100.10 + 0.20 = 100.30) and federates the totals', async () => {
    await bench.projects.put(UMBRELLA, 'sync', body)
    expect(await bench.projects.receiveCommitment(ALPHA, commitment(ALPHA, 'https://a.test/o/c1', { hours: '12.5', amount: { currency: 'EUR', value: '100.10' } }))).toEqual({ counted: true })
    expect(await bench.projects.receiveCommitment(BETA, commitment(BETA, 'https://b.test/o/c1', { amount: { currency: 'EUR', value: '0.20' } }))).toEqual({ counted: true })
    expect(await bench.projects.receiveCommitment(BETA, commitment(BETA, 'https://b.test/o/c1', { amount: { currency: 'EUR', value: '0.20' } }))).toMatchObject({ counted: false })
    expect(await bench.projects.receiveCommitment(OUTSIDER, commitment(OUTSIDER, 'https://x.test/o/c1', { hours: '1' }))).toMatchObject({ counted: false, reason: expect.stringContaining('member') })
    expect(await bench.projects.receiveCommitment(BETA, commitment(BETA, 'https://b.test/o/c2', { amount: { currency: 'EUR', value: '0.001' } }))).toMatchObject({ counted: false, reason: expect.stringContaining('2 decimals') })
    const view = await bench.projects.view(PROJECT)
    expect(view.committed.money).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '100.30' }])
    expect(view.committed.hours).toBe('12.50')
    expect(view.committed.perMember.map(m => [m.memberId, m.hours, m.money.map(x => x.value)])).toEqual([[ALPHA, '12.50', ['100.10']], [BETA, '0.00', ['0.20']]])
    expect(bench.sent.at(-1)).toMatchObject({ type: 'Update', object: { committedHours: '12.50', committed: [{ currency: 'EUR', value: '100.30' }] } })
  })

  it('a member commits through its hub: a vf:Commitment to the umbrella; a non-member is refused', async () => {
    await bench.projects.put(UMBRELLA, 'sync', body)
    const record = await bench.projects.commit(ALPHA, { project: PROJECT, hours: '3.25', note: 'Two devs' })
    const create = bench.sent.find(a => a.type === 'Create' && a.actor === ALPHA)
    expect(create).toMatchObject({ to: [UMBRELLA], object: { id: record.id, type: ['vf:Commitment', 'ioo:ProjectCommitment'], provider: ALPHA, receiver: UMBRELLA, context: PROJECT, hours: '3.25', content: 'Two devs' } })
    expect((await bench.projects.view(PROJECT)).committed.hours).toBe('3.25')
    await expect(bench.projects.commit(OUTSIDER, { project: PROJECT, hours: '1' })).rejects.toBeInstanceOf(ValidationError)
    await expect(bench.projects.commit(ALPHA, { project: PROJECT })).rejects.toThrow('hours, an amount, or both')
    await expect(bench.projects.commit(ALPHA, { project: `${UMBRELLA}/projects/none`, hours: '1' })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('a passed decision allocates no more than the pool received and approves the project', async () => {
    await bench.projects.put(UMBRELLA, 'sync', body)
    await bench.store.pools.savePool(poolRecord(POOL, { stewardId: UMBRELLA, object: { ...poolRecord(POOL).object, received: [{ currency: 'EUR', value: '50.00' }] } }))
    const open = async (amount: string): Promise<string> => (await bench.decisions.open(UMBRELLA, {
      question: `Allocate ${amount}?`, closesAt: '2026-03-08T12:00:00.000Z', rule: 'majority', action: { type: 'ioo:AllocateFunds', pool: POOL, project: PROJECT, amount: { currency: 'EUR', value: amount } }
    })).id
    const first = await open('30.00')
    const second = await open('30.00')
    const approve = (await bench.decisions.open(UMBRELLA, { question: 'Approve?', closesAt: '2026-03-08T12:00:00.000Z', rule: 'majority', action: { type: 'ioo:ApproveProject', object: PROJECT } })).id
    for (const id of [first, second, approve]) {
      await bench.decisions.receiveVote(ALPHA, `${id}/create`, { id: `${id}/vote`, type: 'Note', name: 'agree', inReplyTo: id, attributedTo: ALPHA })
    }
    await bench.decisions.closeDue('2026-03-09T00:00:00.000Z')
    expect((await bench.decisions.view(first)).actionResult).toBe('applied')
    expect((await bench.decisions.view(second)).actionResult).toBe('not applied: the pool has 20.00 EUR received and not yet allocated')
    const view = await bench.projects.view(PROJECT)
    expect(view.allocated).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '30.00' }])
    expect(view.approved).toBe(true)
  })
})
