import type { FundingPool } from '../schemas/generated/funding-pool'
import type { MemberExchangeAgreement } from '../schemas/generated/member-exchange-agreement'
import { agreementAsPublished } from '../domain/member-exchange-agreement'
import type { HubStore } from '../store/store.port'

export type { FundingPool, MemberExchangeAgreement }

/**
 * What the directory pages and feeds read about funding pools and member-exchange agreements.
 * `networkDataFromStore` reads it from the pools and agreements repositories; `NO_NETWORK_DATA`
 * answers empty lists (for a hub or test without them).
 */
export interface NetworkData {
  /** Pools, as federated objects; only those stewarded by `steward` (an actor id) when given. */
  pools(filter?: { steward?: string }): Promise<FundingPool[]>
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
 * its version in force (or the one proposed), with the status the clock gives it today.
 */
export function networkDataFromStore (store: Pick<HubStore, 'pools' | 'agreements'>, now: () => string = () => new Date().toISOString()): NetworkData {
  return {
    pools: async (filter = {}) => (await store.pools.listPools(filter.steward ? { stewardId: filter.steward } : {})).map(r => r.object),
    agreements: async (filter = {}) => {
      const records = await store.agreements.listAgreements(filter.party ? { party: filter.party } : {})
      return records.filter(r => r.versions.length > 0).map(r => agreementAsPublished(r, now()))
    }
  }
}
