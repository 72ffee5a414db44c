/**
 * The hub's own object types as they appear compacted against the hub context. Each is the type
 * its JSON Schema in `schemas/objects/` requires (a test checks them against the schemas).
 */
export const HUB_OBJECT_TYPES = {
  hostedService: 'ioo:HostedService',
  fundingPool: 'ioo:FundingPool',
  pledge: 'ioo:Pledge',
  agreement: 'ioo:MemberExchangeAgreement'
} as const

/** Actor types a peer's actor document may have (the hub's co-ops are Organizations). */
export const ACTOR_TYPES: readonly string[] = ['Organization', 'Person', 'Group', 'Service', 'Application']
