import { createLogger } from '../../src/log/logger'
import { FollowCatchUp } from '../../src/sync/siblings/follow-catch-up'
import type { SiblingResult } from '../../src/sync/siblings/sibling-sync'
import type { SiblingRecord } from '../../src/store/ports/siblings.port'

/** The catch-up queue: a failed catch-up is tried again; a co-op heard from is caught up only when it had been failing. */
describe('FollowCatchUp', () => {
  const logger = createLogger('silent')
  const result = (actorId: string, outcome: SiblingResult['outcome']): SiblingResult =>
    ({ actorId, outcome, collections: {}, counts: { added: 0, changed: 0, unchanged: 0, gone: 0, rejected: 0 }, reachable: true, reachabilityChanged: false, suggestionsAdded: 0, error: null })
  const record = (failures: number): SiblingRecord =>
    ({ actorId: 'x', software: null, nodeinfo: null, failures, lastAttemptAt: null, lastSuccessAt: null, lastError: null, unreachableSince: null })

  it('tries a failed catch-up again after each delay, and stops once it succeeds', async () => {
    const outcomes: Array<SiblingResult['outcome']> = ['failed', 'failed', 'synced']
    const calls: string[] = []
    const catchUp = new FollowCatchUp({ syncOne: async id => { calls.push(id); return result(id, outcomes.shift() ?? 'synced') } }, { get: async () => null }, logger, [5, 5, 5])
    catchUp.followed('https://a.example/u/alpha')
    const deadline = Date.now() + 2000
    while (calls.length < 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5))
    await new Promise(resolve => setTimeout(resolve, 30))
    await catchUp.stop()
    expect(calls).toEqual(Array(3).fill('https://a.example/u/alpha'))
  })

  it('catches up on a co-op heard from only when its sibling record shows failures', async () => {
    const calls: string[] = []
    const failures: Record<string, number> = { 'https://a.example/u/ok': 0, 'https://b.example/u/back': 2 }
    const catchUp = new FollowCatchUp({ syncOne: async id => { calls.push(id); return result(id, 'synced') } }, { get: async id => record(failures[id]) }, logger, [])
    catchUp.heardFrom('https://a.example/u/ok')
    catchUp.heardFrom('https://b.example/u/back')
    catchUp.heardFrom('https://c.example/u/unknown')
    await new Promise(resolve => setTimeout(resolve, 20))
    await catchUp.stop()
    expect(calls).toEqual(['https://b.example/u/back'])
  })
})
