/** URL paths of everything the hub serves over ActivityPub, in one place. */
export const ROUTES = {
  actor: '/u/:actor',
  object: '/o/:id',
  activity: '/s/:id',
  inbox: '/u/:actor/inbox',
  outbox: '/u/:actor/outbox',
  followers: '/u/:actor/followers',
  following: '/u/:actor/following',
  liked: '/u/:actor/liked',
  blocked: '/u/:actor/blocked',
  rejected: '/u/:actor/rejected',
  rejections: '/u/:actor/rejections',
  shares: '/s/:id/shares',
  likes: '/s/:id/likes',
  collections: '/u/:actor/c/:id',
  services: '/u/:actor/services',
  service: '/u/:actor/services/:key',
  fundingPools: '/u/:actor/pools',
  agreements: '/u/:actor/agreements',
  poolPledges: '/o/:id/pledges',
  instanceActor: '/actor',
  instanceInbox: '/actor/inbox',
  sharedInbox: '/inbox',
  context: '/ns'
} as const

/** The IRI of a co-op's hosted service. */
export function serviceIri (hubUrl: string, username: string, key: string): string {
  return `${hubUrl}/u/${username}/services/${key}`
}

/** The IRI of a co-op's services collection. */
export function servicesCollectionIri (hubUrl: string, username: string): string {
  return `${hubUrl}/u/${username}/services`
}

/** The IRI of a co-op's funding pools collection (`ioo:fundingPools`). */
export function fundingPoolsCollectionIri (hubUrl: string, username: string): string {
  return `${hubUrl}/u/${username}/pools`
}

/** The IRI of a co-op's agreements collection (`ioo:agreements`). */
export function agreementsCollectionIri (hubUrl: string, username: string): string {
  return `${hubUrl}/u/${username}/agreements`
}

/** The IRI of a local pool's pledges collection (`ioo:pledges`): below the pool's own IRI. */
export function poolPledgesIri (poolId: string): string {
  return `${poolId}/pledges`
}
