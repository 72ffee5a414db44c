/**
 * Funding pools: money pooled by co-ops for the upstream software they depend on. Building the
 * federated object, applying an admin's edits, deriving the status from the totals, and checking
 * an offered pledge against the pool. Pure: no storage, no HTTP.
 */
import type { FundingPool } from '../schemas/generated/funding-pool'
import type { PoolCreateRequest } from '../schemas/generated/pool-create'
import type { PoolUpdateRequest } from '../schemas/generated/pool-update'
import { AS_PUBLIC } from './activity-streams/nodes'
import { amountProblem, compareMoney, MonetaryAmount, toMoney, totalsByCurrency } from './money'
import { countsAsPledged, Pledge, PledgeRecord } from './pledge'

export type { FundingPool }

/** The pool's types: a Page for Mastodon, the hub's FundingPool, a ValueFlows Proposal (FEP-0837). */
export const FUNDING_POOL_TYPE = ['Page', 'ioo:FundingPool', 'vf:Proposal']

/** A pool as a hub records it: its own (local) or one federated from a steward. */
export interface PoolRecord {
  id: string
  stewardId: string
  local: boolean
  status: FundingPool['poolStatus']
  currency: string
  /** The federated document as last published or received. */
  object: FundingPool
  updatedAt: string
  /** A copy only: when this hub last received or fetched it from its origin. */
  refreshedAt?: string
  /** A copy only: the latest change of the pool this hub has heard of (a steward's answer to a pledge). */
  changedAt?: string
}

/** A copy of another hub's pool older than the pool's last change this hub has heard of. */
export function isStaleCopy (record: PoolRecord): boolean {
  if (record.local || !record.changedAt) return false
  return !record.refreshedAt || Date.parse(record.refreshedAt) < Date.parse(record.changedAt)
}

/** Where a new pool lives and who stewards it; decided by the caller. */
export interface PoolIdentity {
  id: string
  stewardId: string
  followers: string | null
  now: string
}

/** A problem with a pool or a pledge, in words for a person; `field` names the culprit. */
export class PoolRuleError extends Error {
  constructor (message: string, readonly field: string) { super(message) }
}

/** Builds a new, open pool from an admin's request (totals at zero in the goal's currency). */
export function buildFundingPool (input: PoolCreateRequest, who: PoolIdentity): FundingPool {
  const goal = checkedGoal(input.goal)
  const deadline = input.deadline
  if (deadline !== undefined && Date.parse(deadline) <= Date.parse(who.now)) {
    throw new PoolRuleError('The deadline must be in the future', 'deadline')
  }
  const zero = totalsByCurrency([], [goal.currency])
  const pool: FundingPool = {
    id: who.id,
    type: [...FUNDING_POOL_TYPE],
    attributedTo: who.stewardId,
    name: input.name,
    // Mastodon shows a converted Page as name + summary + link: an empty summary shows nothing.
    summary: input.summary?.trim() ? input.summary : `Funding pool for ${input.beneficiary.name}`,
    url: input.url ?? who.id,
    beneficiary: { name: input.beneficiary.name, url: input.beneficiary.url },
    goal,
    period: input.period,
    poolStatus: 'open',
    pledgePolicy: input.pledgePolicy ?? 'automatic',
    pledged: zero,
    received: zero,
    purpose: 'request',
    publishes: { id: `${who.id}#primary`, type: 'vf:Intent', action: 'transfer' },
    published: who.now,
    updated: who.now,
    to: [AS_PUBLIC],
    cc: who.followers ? [who.followers] : []
  }
  if (deadline !== undefined) pool.endTime = deadline
  if (input.paymentLinks?.length) pool.attachment = paymentLinks(input.paymentLinks)
  return pool
}

/**
 * Applies an admin's PATCH. A closed or cancelled pool cannot change; the currency cannot change
 * once pledges were accepted in it.
 */
export function applyPoolUpdate (pool: FundingPool, patch: PoolUpdateRequest, context: { hasPledges: boolean, now: string }): FundingPool {
  if (pool.poolStatus === 'closed' || pool.poolStatus === 'cancelled') {
    throw new PoolRuleError(`The pool is ${pool.poolStatus}; it can no longer be changed`, 'status')
  }
  const next: FundingPool = { ...pool, updated: context.now }
  if (patch.name !== undefined) next.name = patch.name
  if (patch.summary !== undefined) next.summary = patch.summary.trim() ? patch.summary : `Funding pool for ${next.beneficiary.name}`
  if (patch.url !== undefined) next.url = patch.url
  if (patch.beneficiary !== undefined) next.beneficiary = { name: patch.beneficiary.name, url: patch.beneficiary.url }
  if (patch.period !== undefined) next.period = patch.period
  if (patch.pledgePolicy !== undefined) next.pledgePolicy = patch.pledgePolicy
  if (patch.goal !== undefined) {
    const goal = checkedGoal(patch.goal)
    if (goal.currency !== pool.goal.currency && context.hasPledges) {
      throw new PoolRuleError(`The pool has pledges in ${pool.goal.currency}; its currency cannot change`, 'goal.currency')
    }
    next.goal = goal
  }
  if (patch.deadline === null) delete next.endTime
  else if (patch.deadline !== undefined) {
    if (Date.parse(patch.deadline) <= Date.parse(context.now)) throw new PoolRuleError('The deadline must be in the future', 'deadline')
    next.endTime = patch.deadline
  }
  if (patch.paymentLinks !== undefined) {
    if (patch.paymentLinks.length) next.attachment = paymentLinks(patch.paymentLinks)
    else delete next.attachment
  }
  if (patch.status !== undefined) next.poolStatus = patch.status
  return next
}

/**
 * Recomputes `pledged` (accepted and fulfilled pledges) and `received` (fulfilled ones) per
 * currency, exactly, and the status: `funded` once the pledges cover the goal, `open` otherwise;
 * closed and cancelled stay as they are.
 */
export function withTotals (pool: FundingPool, pledges: PledgeRecord[], now: string): FundingPool {
  const counted = pledges.filter(p => p.poolId === pool.id && countsAsPledged(p.state))
  const pledged = totalsByCurrency(counted.map(p => toMoney(p.amount)), [pool.goal.currency])
  const received = totalsByCurrency(counted.filter(p => p.state === 'fulfilled').map(p => toMoney(p.amount)), [pool.goal.currency])
  let status = pool.poolStatus
  if (status === 'open' || status === 'funded') {
    const goal = toMoney(pool.goal)
    const inGoalCurrency = pledged.find(t => t.currency === goal.currency) as MonetaryAmount
    status = compareMoney(toMoney(inGoalCurrency, { allowZero: true }), goal) >= 0 ? 'funded' : 'open'
  }
  return { ...pool, pledged, received, poolStatus: status, updated: now }
}

/**
 * Why the steward must refuse an offered pledge, or null when it can be taken: the pool takes
 * pledges, the deadline has not passed, the amount is a positive decimal of the pool's currency
 * with no more decimals than that currency has, and the pledger is the actor who offers it.
 */
export function pledgeProblem (pool: FundingPool, offer: Pledge, offeredBy: string, now: string): string | null {
  if (offer.context !== pool.id) return `the pledge is for ${offer.context}, not for this pool`
  if (offer.pledger !== offeredBy) return `the pledger ${offer.pledger} is not the actor who offered it (${offeredBy})`
  if (!takesPledges(pool)) return `the pool is ${pool.poolStatus} and takes no pledges`
  if (pool.endTime && Date.parse(pool.endTime) < Date.parse(now)) return `the pool's deadline (${pool.endTime}) has passed`
  if (offer.amount.currency !== pool.goal.currency) {
    return `the pool is in ${pool.goal.currency}; a pledge in ${offer.amount.currency} cannot be added to it (the hub never converts currencies)`
  }
  const problem = amountProblem(offer.amount)
  return problem ? `the amount is not valid: ${problem}` : null
}

function checkedGoal (goal: { value: string, currency: string }): MonetaryAmount {
  const problem = amountProblem(goal)
  if (problem) throw new PoolRuleError(`The goal is not valid: ${problem}`, 'goal')
  return { type: 'MonetaryAmount', currency: goal.currency, value: goal.value }
}

function paymentLinks (links: NonNullable<PoolCreateRequest['paymentLinks']>): NonNullable<FundingPool['attachment']> {
  return links.map(l => ({ type: 'Link' as const, name: l.name ?? 'Pay into this pool', href: l.href, rel: 'payment' }))
}

/** True while a pool takes pledges: `open`, or `funded` (pledges may still exceed the goal). */
export function takesPledges (pool: FundingPool): boolean {
  return pool.poolStatus === 'open' || pool.poolStatus === 'funded'
}

/** True when a pool still takes pledges although its deadline (`endTime`) has passed at `now`. */
export function isPastDeadline (pool: FundingPool, now: string): boolean {
  return takesPledges(pool) && pool.endTime !== undefined && Date.parse(pool.endTime) <= Date.parse(now)
}

/** The pool closed because its deadline passed; its totals stay as they are. */
export function closeAtDeadline (pool: FundingPool, now: string): FundingPool {
  if (!isPastDeadline(pool, now)) throw new PoolRuleError(`The pool is ${pool.poolStatus} and its deadline has not passed`, 'status')
  return { ...pool, poolStatus: 'closed', updated: now }
}

/** True when a federated object's type list says it is a FundingPool. */
export function isFundingPoolType (type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type]
  return types.includes('ioo:FundingPool')
}
