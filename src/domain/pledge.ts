/**
 * Pledges: a co-op's offer to pay into a funding pool, and the life of that pledge as both the
 * pledger's and the steward's hubs record it. Pure: no storage, no HTTP.
 */
import type { MonetaryAmount } from './money'
import type { Pledge } from '../schemas/generated/pledge'
import { AS_PUBLIC } from './activity-streams/nodes'

export type { Pledge }

/** The pledge's types: a ValueFlows agreement that is a hub Pledge (FEP-0837). */
export const PLEDGE_TYPE = ['vf:Agreement', 'ioo:Pledge']

export type Recurrence = Pledge['recurrence']

/**
 * Where a pledge stands. `offered` waits for the steward; `pledged`, `fulfilled`, `cancelled` and
 * `lapsed` are the federated `pledgeStatus` words; `rejected` means the steward refused the offer.
 */
export type PledgeState = 'offered' | 'pledged' | 'fulfilled' | 'cancelled' | 'lapsed' | 'rejected'

/** A pledge as a hub records it (keyed by the Offer that made it, which both sides know). */
export interface PledgeRecord {
  offerId: string
  /** The finalized Pledge's id, minted by the steward; null until the steward has one. */
  pledgeId: string | null
  poolId: string
  pledgerId: string
  stewardId: string
  amount: MonetaryAmount
  recurrence: Recurrence
  state: PledgeState
  /** Why the steward refused it, or why a withdrawal was refused. */
  reason: string | null
  /** True once the steward's side has decided on the Offer (so a repeated Offer changes nothing). */
  stewardProcessed: boolean
  createdAt: string
  updatedAt: string
}

/** What can happen to a pledge. */
export type PledgeEvent =
  | { kind: 'accept', pledgeId: string }
  | { kind: 'reject', reason: string }
  | { kind: 'withdraw' }
  | { kind: 'fulfil' }
  | { kind: 'lapse' }
  | { kind: 'steward-status', status: 'pledged' | 'fulfilled' | 'lapsed' | 'cancelled', pledgeId: string }

/** A transition the pledge's state does not allow; the message says why, for a person. */
export class PledgeTransitionError extends Error {}

/**
 * Applies `event` to `record`; answers the new record, or the same object when the event changes
 * nothing (a repeat). Throws PledgeTransitionError when the state forbids it.
 */
export function applyPledgeEvent (record: PledgeRecord, event: PledgeEvent, now: string): PledgeRecord {
  const next = (changes: Partial<PledgeRecord>): PledgeRecord => ({ ...record, ...changes, updatedAt: now })
  const s = record.state
  switch (event.kind) {
    case 'accept':
      if (s === 'pledged' && record.pledgeId === event.pledgeId) return record
      if (s !== 'offered') throw new PledgeTransitionError(`the pledge is ${s}, not awaiting a decision`)
      return next({ state: 'pledged', pledgeId: event.pledgeId, reason: null })
    case 'reject':
      if (s === 'rejected') return record
      if (s !== 'offered') throw new PledgeTransitionError(`the pledge is ${s}, not awaiting a decision`)
      return next({ state: 'rejected', reason: event.reason })
    case 'withdraw':
      if (s === 'cancelled') return record
      if (s === 'fulfilled') throw new PledgeTransitionError('the pledge was already fulfilled: the money arrived, so it cannot be withdrawn')
      if (s !== 'offered' && s !== 'pledged') throw new PledgeTransitionError(`the pledge is ${s} and cannot be withdrawn`)
      return next({ state: 'cancelled' })
    case 'fulfil':
      if (s === 'fulfilled') return record
      if (s !== 'pledged') throw new PledgeTransitionError(`only an accepted pledge can be fulfilled; this one is ${s}`)
      return next({ state: 'fulfilled' })
    case 'lapse':
      if (s === 'lapsed') return record
      if (s !== 'pledged') throw new PledgeTransitionError(`only an accepted pledge can lapse; this one is ${s}`)
      return next({ state: 'lapsed' })
    case 'steward-status':
      // The steward's hub is the authority on a finalized pledge: the pledger's hub follows it.
      if (s === event.status && record.pledgeId === event.pledgeId) return record
      return next({ state: event.status, pledgeId: event.pledgeId })
  }
}

/** True for the states whose amount counts toward the pool's `pledged` total. */
export function countsAsPledged (state: PledgeState): boolean {
  return state === 'pledged' || state === 'fulfilled'
}

/** What a co-op pledges, before the steward has seen it: the record's terms, without its state. */
export type PledgeOfferInput = Pick<PledgeRecord, 'poolId' | 'pledgerId' | 'stewardId' | 'amount' | 'recurrence'>

/** The Pledge an Offer carries (FEP-0837: no id yet; the steward finalizes it). */
export function buildPledgeOffer (input: PledgeOfferInput): Pledge {
  return {
    type: [...PLEDGE_TYPE],
    context: input.poolId,
    pledger: input.pledgerId,
    amount: { type: 'MonetaryAmount', currency: input.amount.currency, value: input.amount.value },
    recurrence: input.recurrence,
    stipulates: [transferCommitment(input.poolId, input.pledgerId, input.stewardId)]
  }
}

/** The finalized Pledge the steward publishes (Accept `result`, and Update on every change). */
export function buildFinalizedPledge (record: PledgeRecord & { pledgeId: string }, audience: { followers: string | null }): Pledge {
  const status = record.state === 'offered' || record.state === 'rejected' ? 'pledged' : record.state
  return {
    id: record.pledgeId,
    type: [...PLEDGE_TYPE],
    attributedTo: record.stewardId,
    context: record.poolId,
    pledger: record.pledgerId,
    amount: { type: 'MonetaryAmount', currency: record.amount.currency, value: record.amount.value },
    recurrence: record.recurrence,
    pledgeStatus: status,
    stipulates: [{
      ...transferCommitment(record.poolId, record.pledgerId, record.stewardId),
      id: `${record.pledgeId}#transfer`,
      finished: status === 'fulfilled'
    }],
    published: record.createdAt,
    updated: record.updatedAt,
    to: [AS_PUBLIC, record.pledgerId],
    cc: audience.followers ? [audience.followers] : []
  }
}

function transferCommitment (poolId: string, pledgerId: string, stewardId: string): NonNullable<Pledge['stipulates']>[number] {
  return { type: 'vf:Commitment', action: 'transfer', provider: pledgerId, receiver: stewardId, satisfies: `${poolId}#primary` }
}

/** True when a federated object's type list says it is a Pledge. */
export function isPledgeType (type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type]
  return types.includes('ioo:Pledge')
}
