import { formatMoney, toMoney } from '../domain/money'
import type { FundingPool } from './network-data'

/** A pool's progress in its goal's currency: exact amounts and whole percentages. */
export interface PoolProgress {
  currency: string
  goal: string
  pledged: string
  received: string
  /** Whole percent of the goal, not capped (a pool can be over-pledged). */
  pledgedPercent: number
  receivedPercent: number
  /** Pledged per goal, in millionths: the order of "closest to its goal". */
  closeness: number
}

/** Progress of a pool towards its goal; other currencies in its totals are not counted (never converted). */
export function poolProgress (pool: FundingPool): PoolProgress {
  const goal = toMoney(pool.goal)
  const sumIn = (totals: FundingPool['pledged']): bigint => totals
    .filter(t => t.currency === goal.currency)
    .reduce((sum, t) => sum + toMoney(t, { allowZero: true }).minor, 0n)
  const pledged = sumIn(pool.pledged)
  const received = sumIn(pool.received)
  const share = (part: bigint, scale: bigint): number => Number(part * scale / goal.minor)
  return {
    currency: goal.currency,
    goal: pool.goal.value,
    pledged: formatMoney({ currency: goal.currency, minor: pledged }).value,
    received: formatMoney({ currency: goal.currency, minor: received }).value,
    pledgedPercent: share(pledged, 100n),
    receivedPercent: share(received, 100n),
    closeness: share(pledged, 1_000_000n)
  }
}

/** Open pools, closest to their goal first (ties by name). */
export function byClosenessToGoal (pools: FundingPool[]): Array<{ pool: FundingPool, progress: PoolProgress }> {
  return pools
    .filter(p => p.poolStatus === 'open')
    .map(pool => ({ pool, progress: poolProgress(pool) }))
    .sort((a, b) => b.progress.closeness - a.progress.closeness || a.pool.name.localeCompare(b.pool.name))
}
