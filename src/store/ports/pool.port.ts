/**
 * Storage of funding pools and pledges: the hub's own pools, pools federated from stewards it
 * follows or pledged to, and every pledge it knows, as pledger or as steward.
 */
import type { PoolRecord } from '../../domain/funding-pool'
import type { PledgeRecord } from '../../domain/pledge'

export type { PoolRecord, PledgeRecord }

/** Which pools to list. */
export interface PoolFilter {
  stewardId?: string
  local?: boolean
}

/** Which pledges to list. */
export interface PledgeFilter {
  poolId?: string
  pledgerId?: string
}

/** Pools and pledges; every method answers a Promise (the MongoDB adapter to come is async). */
export interface PoolRepository {
  /** Inserts or replaces a pool. */
  savePool(pool: PoolRecord): Promise<void>
  getPool(id: string): Promise<PoolRecord | null>
  /** Records that a copy of another hub's pool changed at `at` (ISO), when later than what is known; local pools are left alone. */
  notePoolChange(id: string, at: string): Promise<void>
  /** Removes a pool; its pledges stay as history. Answers false when there was none. */
  deletePool(id: string): Promise<boolean>
  /** Newest first. */
  listPools(filter?: PoolFilter): Promise<PoolRecord[]>
  /** Inserts or replaces a pledge (keyed by its Offer's id). */
  savePledge(pledge: PledgeRecord): Promise<void>
  /** Saves a pledge and its pool's recomputed document together: both, or neither. */
  savePledgeAndPool(pledge: PledgeRecord, pool: PoolRecord): Promise<void>
  getPledgeByOffer(offerId: string): Promise<PledgeRecord | null>
  getPledgeById(pledgeId: string): Promise<PledgeRecord | null>
  /** Oldest first. */
  listPledges(filter?: PledgeFilter): Promise<PledgeRecord[]>
}
