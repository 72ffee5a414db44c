/**
 * An umbrella worth looking at, on one in-process hub: made and given members through the hub's
 * API (the admin adds them), a pool it stewards, and a shared project, commitments and decisions
 * written through the umbrella-work repository, as the umbrella's own services would leave them.
 */
import type { DecisionRecord } from '../../src/domain/umbrella/decision'
import { api } from '../helpers/hub-process'
import type { TestHub } from '../helpers/in-process-hub'

/** What was made, for the tests to look for. */
export interface UmbrellaSeed {
  username: string
  id: string
  projectId: string
  openDecisionId: string
  pastDecisionId: string
}

async function ok (what: string, call: Promise<{ status: number, json: any }>): Promise<any> {
  const res = await call
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json
}

/**
 * Makes umbrella "commons" with `members` (actor ids, the first two commit), a project with two
 * milestones funded by its pool, commitments of 100.10 and 0.20 hours and EUR (and 50 USD),
 * an open decision with votes agree and disagree and a past one that passed.
 */
export async function seedUmbrella (hub: TestHub, members: string[]): Promise<UmbrellaSeed> {
  const created = await ok('umbrella', api(hub, 'POST', '/api/v1/umbrellas', hub.adminToken, {
    username: 'commons', name: 'Commons Cloud Alliance', summary: 'Co-op clouds funding the upstream work they share', membershipPolicy: 'approval'
  }))
  const id: string = created.id
  for (const member of members) await ok(`member ${member}`, api(hub, 'POST', '/api/v1/umbrellas/commons/members', hub.adminToken, { actor: member }))
  const pool = await ok('pool', api(hub, 'POST', '/api/v1/coops/commons/pools', created.token, {
    name: 'Calendar sync fund', beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' }, goal: { value: '2000.00', currency: 'EUR' }, period: 'once'
  }))
  const work = hub.hub.store.umbrellaWork
  const now = new Date()
  const at = (days: number): string => new Date(now.getTime() + days * 86_400_000).toISOString()
  const projectId = `${id}/projects/calendar-sync`
  await work.saveProject({
    id: projectId, umbrellaId: id, key: 'calendar-sync', name: 'Calendar sync rewrite', summary: 'A CalDAV sync our members can rely on, upstream.',
    upstream: { name: 'Nextcloud Calendar', url: 'https://github.com/nextcloud/calendar' },
    milestones: [
      { name: 'Design the sync protocol', due: '2026-10-01T00:00:00.000Z', status: 'done' },
      { name: 'Ship it upstream', due: null, status: 'active' }
    ],
    poolIds: [pool.id], approved: true, local: true, createdAt: at(-20), updatedAt: at(-1)
  })
  const [first, second] = members
  await work.saveCommitment({ id: `${first}/c/1`, projectId, memberId: first, hours: '100.10', amount: { type: 'MonetaryAmount', currency: 'EUR', value: '100.10' }, note: null, createdAt: at(-10) })
  await work.saveCommitment({ id: `${second}/c/1`, projectId, memberId: second, hours: '0.20', amount: { type: 'MonetaryAmount', currency: 'EUR', value: '0.20' }, note: 'Review time', createdAt: at(-9) })
  await work.saveCommitment({ id: `${second}/c/2`, projectId, memberId: second, hours: null, amount: { type: 'MonetaryAmount', currency: 'USD', value: '50.00' }, note: null, createdAt: at(-8) })

  const decision = (key: string, question: string, closesAt: string, action: DecisionRecord['action']): DecisionRecord => ({
    id: `${id}/decisions/${key}`, umbrellaId: id, question, options: ['agree', 'abstain', 'disagree', 'block'], closesAt, rule: 'majority', quorum: '0.5',
    action, status: 'open', actionResult: null, local: true, createdAt: at(-5), closedAt: null
  })
  const open = decision('second-developer', 'Shall we fund a second developer for the sync work?', at(7), null)
  await work.saveDecision(open)
  await work.castVote({ decisionId: open.id, voterId: first, choice: 'agree', noteId: `${first}/v/1`, castAt: at(-1) })
  await work.castVote({ decisionId: open.id, voterId: second, choice: 'disagree', noteId: `${second}/v/1`, castAt: at(-1) })
  const past = decision('approve-sync', 'Approve the calendar sync rewrite as a shared project?', at(-2), { type: 'ioo:ApproveProject', object: projectId })
  await work.saveDecision(past)
  for (const voter of [first, second]) await work.castVote({ decisionId: past.id, voterId: voter, choice: 'agree', noteId: `${voter}/v/0`, castAt: at(-4) })
  await work.closeDecision(past.id, 'passed', await work.getTally(past.id), at(-2))
  await work.setActionResult(past.id, 'applied')
  return { username: 'commons', id, projectId, openDecisionId: open.id, pastDecisionId: past.id }
}
