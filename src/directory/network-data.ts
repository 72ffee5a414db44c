import type { FundingPool } from '../schemas/generated/funding-pool'
import type { MemberExchangeAgreement } from '../schemas/generated/member-exchange-agreement'
import { agreementAsPublished } from '../domain/member-exchange-agreement'
import type { PoolRecord } from '../domain/funding-pool'
import type { HubStore } from '../store/store.port'

export type { FundingPool, MemberExchangeAgreement }

/** A pool as the pages show it; a copy of another hub's pool says when it was last received or fetched. */
export interface NetworkPool {
  object: FundingPool
  refreshedAt?: string
}

/**
 * What the directory pages and feeds read about funding pools and member-exchange agreements.
 * `networkDataFromStore` reads it from the pools and agreements repositories; `NO_NETWORK_DATA`
 * answers empty lists (for a hub or test without them).
 */
export interface NetworkData {
  /** Pools, as federated objects; only those stewarded by `steward` (an actor id) when given. */
  pools(filter?: { steward?: string }): Promise<NetworkPool[]>
  /** Agreements, as federated objects; only those `party` (an actor id) is a party to when given. */
  agreements(filter?: { party?: string }): Promise<MemberExchangeAgreement[]>
}

/** NetworkData with no pools and no agreements. */
export const NO_NETWORK_DATA: NetworkData = {
  pools: async () => [],
  agreements: async () => []
}

/**
 * NetworkData read from the hub's pool and agreement repositories. An agreement is shown as
 * its version in force (or the one proposed), with the status the clock gives it today. Pool
 * records pass through `current` (which refreshes stale copies of other hubs' pools) when given.
 */
export function networkDataFromStore (
  store: Pick<HubStore, 'pools' | 'agreements'>,
  now: () => string = () => new Date().toISOString(),
  current: (records: PoolRecord[]) => Promise<PoolRecord[]> = async records => records
): NetworkData {
  return {
    pools: async (filter = {}) => {
      const records = await current(await store.pools.listPools(filter.steward ? { stewardId: filter.steward } : {}))
      return records.map(r => r.local || !r.refreshedAt ? { object: r.object } : { object: r.object, refreshedAt: r.refreshedAt })
    },
    agreements: async (filter = {}) => {
      const records = await store.agreements.listAgreements(filter.party ? { party: filter.party } : {})
      return records.filter(r => r.versions.length > 0).map(r => agreementAsPublished(r, now()))
    }
  }
}
