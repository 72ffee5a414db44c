import fs from 'fs'
import path from 'path'
import type { HubConfig } from './config/config'
import { claimHubUrl } from './store/recorded-hub-url'
import type { Logger } from './log/logger'
import type { ApexNode, HubStore } from './store/store.port'
import { TokenService } from './auth/token.service'
import { CoopService } from './coops/coop.service'
import { FollowService } from './follows/follow.service'
import { HostedServiceService } from './hosted-services/hosted-service.service'
import { Apex, createApex } from './federation/apex-setup'
import { generateActorKeys } from './federation/actors/actor-keys'
import { buildInstanceActor } from './federation/actors/coop-actor'
import { DeliveryWorker } from './federation/delivery/delivery-worker'
import { AudienceResolver } from './federation/delivery/audience-resolver'
import { LocalSigningKeys } from './federation/actors/signing-keys'
import { OutboundClient, SigningKey } from './federation/http/outbound-client'
import { InboxDispatcher } from './federation/inbox/inbox-dispatcher'
import { InboxHandlerTable, InboxRegistry } from './federation/inbox/inbox-registry'
import { SignatureVerifierThread } from './federation/signatures/verifier-thread'
import { createDocumentLoader } from './federation/jsonld/document-loader'
import { HUB_CONTEXT_URL, hubContextDocument } from './federation/jsonld/hub-context'
import { registerContext } from './federation/jsonld/preloaded-contexts'
import { Publisher } from './federation/publisher'
import { RemoteActors } from './federation/remote-actors'
import { ROUTES } from './federation/routes/route-paths'
import { SchemaValidator } from './schemas/schema-validator'
import { PROJECT_ROOT } from './schemas/schema-files'
import { PoolService } from './pools/pool.service'
import { PledgeService } from './pools/pledge.service'
import { PledgeInboundService } from './pools/pledge-inbound.service'
import { PledgeSteward } from './pools/pledge-steward'
import { PoolCopyRefresher } from './pools/pool-copy-refresh'
import { registerPoolsInbox } from './pools/pools.inbox'
import { AgreementService } from './agreements/agreement.service'
import { AgreementInboundService } from './agreements/agreement-inbound.service'
import { registerAgreementsInbox } from './agreements/agreements.inbox'
import { registerFollowsInbox } from './follows/follows.inbox'
import { registerHostedServicesInbox } from './hosted-services/hosted-services.inbox'
import { TrustedServers } from './agreements/trusted-servers'
import { HubChanges } from './events/hub-changes'
import { DirectoryService } from './directory/directory.service'
import { NetworkData, networkDataFromStore } from './directory/network-data'
import { DomainBlockService } from './federation/abuse/domain-block.service'
import { RateLimiter } from './federation/abuse/rate-limiter'
import { KeyFetchBudget } from './federation/abuse/key-fetch-budget'
import { pruneFollowersAt } from './federation/delivery/follower-pruning'
import { blockedHostCheck, refuseDirectQueueing } from './federation/federation-safety'
import { InboxJournal } from './federation/inbox/inbox-journal'
import { createSync, SyncParts } from './sync/sync-context'
import { poolsCollection } from './sync/siblings/federated-collection'
import { UmbrellaService } from './umbrellas/umbrella.service'
import { UmbrellaMembershipService } from './umbrellas/umbrella-membership.service'
import { MembershipService } from './umbrellas/membership.service'
import { registerUmbrellasInbox } from './umbrellas/umbrellas.inbox'
import { createUmbrellaWork, UmbrellaWork } from './umbrellas/umbrella-work.wiring'
import { registerUmbrellaWorkInbox } from './umbrellas/umbrella-work.inbox'
import { decisionsExpirer } from './umbrellas/decisions.expirer'

/** The hub's parts, wired once and shared by the HTTP server and the CLI. */
export interface HubContext {
  config: HubConfig
  version: string
  logger: Logger
  store: HubStore
  apex: Apex
  schemas: SchemaValidator
  tokens: TokenService
  coops: CoopService
  services: HostedServiceService
  follows: FollowService
  publisher: Publisher
  remote: RemoteActors
  client: OutboundClient
  delivery: DeliveryWorker
  /** Runs one handler per received activity, in order per object. */
  inbox: InboxDispatcher
  /** The (activity type, object type) pairs the features registered. */
  inboxHandlers: InboxHandlerTable
  /** The instance actor's key, read from the store (another process may have replaced it). */
  instanceKey: () => Promise<SigningKey>
  pools: PoolService
  /** Copies of other hubs' pools, fetched again when viewed if older than their last known change. */
  poolCopies: PoolCopyRefresher
  pledges: PledgeService
  /** Pledges as other hubs send them (the inbox's half). */
  pledgesInbound: PledgeInboundService
  agreements: AgreementService
  /** Agreements as the other parties send them (the inbox's half). */
  agreementsInbound: AgreementInboundService
  trustedServers: TrustedServers
  /** Changes other parts mirror (the directory index listens). */
  changes: HubChanges
  directory: DirectoryService
  /** Pools and agreements as the directory pages and feeds read them. */
  network: NetworkData
  /** Domains the admin blocked (API, CLI, inbox, outbound). */
  domainBlocks: DomainBlockService
  /** Per-remote-host limit on inbox requests, counted once the sender is verified. */
  rateLimiter: RateLimiter
  /** Per-client-address limit on inbox requests, counted before anything is verified. */
  addressRateLimiter: RateLimiter
  /** Inbox crash safety and once-per-recipient processing. */
  journal: InboxJournal
  /** Checks inbound signatures (draft-cavage and RFC 9421) on a thread of its own, started by the first. */
  signatures: SignatureVerifierThread
  /** Scheduled sync: jobs, their runner and scheduler, directory sources, sibling sync, health probes. */
  sync: SyncParts
  /** Umbrella organisations hosted here. */
  umbrellas: UmbrellaService
  /** The umbrella's side of membership: Joins, join requests, members. */
  umbrellaMemberships: UmbrellaMembershipService
  /** The member's side of membership: joining, leaving, member lists of remote umbrellas. */
  memberships: MembershipService
  /** Umbrellas' shared projects, decisions and progress posts (both sides). */
  umbrellaWork: UmbrellaWork
}

/** The hub's version, from package.json. */
export function hubVersion (): string {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version
}

/** Builds every part of the hub on an open store; creates the instance actor on first start. */
export async function createHubContext (config: HubConfig, store: HubStore, logger: Logger): Promise<HubContext> {
  const version = hubVersion()
  registerContext(HUB_CONTEXT_URL, hubContextDocument())
  registerContext(`${config.hubUrl}${ROUTES.context}`, hubContextDocument())
  const documentLoader = createDocumentLoader({
    onUnknown: url => logger.warn({ url }, 'JSON-LD context not preloaded; treated as empty (never fetched)')
  })
  const apex = createApex({ hubUrl: config.hubUrl, version, store, logger, documentLoader })
  await store.setup()
  // Before anything is created: ids built from another URL would point at the wrong place.
  await claimHubUrl(store, config.hubUrl)
  const instance = await ensureInstanceActor(apex, store, config.hubUrl)
  // Keys are read from the store at each use: processes sharing it never sign with a stale key.
  const keys = new LocalSigningKeys(store, instance.id)
  const instanceKey = (): Promise<SigningKey> => keys.instance()
  const isBlockedHost = blockedHostCheck(store)
  const client = new OutboundClient({
    allowPrivateAddresses: config.allowPrivateAddresses,
    isBlockedHost,
    userAgent: `ioocloud-hub/${version} (+${config.hubUrl})`
  })
  const remote = new RemoteActors(apex, store, client, instanceKey, logger, new KeyFetchBudget(config.http.keyFetchesPerMinute))
  const audiences = new AudienceResolver(apex, store, {
    isBlockedHost, logger: logger.child({ component: 'outbox' }), onQueued: () => delivery.wakeQueue(), pageSize: config.audiencePageSize
  })
  const delivery = new DeliveryWorker(store, client, actorId => keys.forActor(actorId), logger.child({ component: 'delivery' }), {
    isBlockedHost,
    audiences,
    onGone: async gone => {
      const pruned = await pruneFollowersAt(store, gone.actorId, gone.address)
      if (pruned.length > 0) logger.info({ inbox: gone.address, pruned }, 'delivery: the inbox is gone; its followers were removed')
    }
  })

  // The hub's own network parts replace apex's (deprecated `request` client, lossy queue).
  apex.requestObject = id => remote.fetchNode(id)
  apex.queueForDelivery = refuseDirectQueueing() // apex publishes only through the outbox (below)
  apex.startDelivery = () => delivery.wake()
  apex.runDelivery = () => delivery.wake()

  const schemas = new SchemaValidator()
  const domainBlocks = new DomainBlockService(store, schemas)
  const rateLimiter = new RateLimiter(config.inboxRateLimitPerMinute)
  const addressRateLimiter = new RateLimiter(config.http.inboxAddressRateLimitPerMinute)
  const journal = new InboxJournal(store, logger.child({ component: 'inbox' }))
  const signatures = new SignatureVerifierThread()
  const tokens = new TokenService(store)
  const publisher = new Publisher(apex, store, () => audiences.wake())
  // apex's own publishes (the Update of a followers collection after an accepted Follow, inbox
  // forwarding) go through the same transactional outbox as the hub's.
  apex.addToOutbox = async (actor, activity) => await publisher.post(actor as ApexNode, activity as ApexNode)
  apex.publishActivity = async (actor, activity, audience) => await publisher.deliver(actor as ApexNode, activity as ApexNode, audience)
  const changes = new HubChanges(logger.child({ component: 'changes' }))
  const coops = new CoopService(apex, store, tokens, schemas, config.hubUrl, changes, publisher)
  // Actors stored before the pools and agreements collections existed get them (docs/api.md).
  await coops.ensureCollections()
  const services = new HostedServiceService(apex, store, coops, publisher, schemas, config.hubUrl, changes)
  const follows = new FollowService(apex, store, coops, publisher, remote, client, schemas)

  const pools = new PoolService(apex, store, coops, publisher, schemas)
  const steward = new PledgeSteward(apex, store, pools, publisher)
  const poolCopies = new PoolCopyRefresher(async id => await remote.fetchNode(id), pools, store, logger.child({ component: 'pools' }))
  const pledges = new PledgeService(apex, store, coops, pools, publisher, remote, schemas, steward)
  const pledgesInbound = new PledgeInboundService(apex, store, steward, publisher, schemas, logger.child({ component: 'pledges' }))
  const agreements = new AgreementService(apex, store, coops, publisher, remote, client, schemas)
  const agreementsInbound = new AgreementInboundService(apex, store, publisher, schemas, logger.child({ component: 'agreements' }))
  const trustedServers = new TrustedServers(apex, store, coops, remote, schemas, logger.child({ component: 'trusted-servers' }))

  const umbrellas = new UmbrellaService(apex, store, tokens, schemas, config.hubUrl, publisher)
  const umbrellaMemberships = new UmbrellaMembershipService(store, umbrellas, publisher, remote, client, schemas, logger.child({ component: 'umbrellas' }))
  const memberships = new MembershipService(store, coops, publisher, remote, client, schemas, logger.child({ component: 'umbrellas' }))
  const umbrellaWork = createUmbrellaWork({ apex, store, publisher, schemas, hubUrl: config.hubUrl, umbrellaMemberships, admissionVoteSeconds: config.admissionVoteSeconds, logger: logger.child({ component: 'umbrellas' }) })

  const inboxLog = logger.child({ component: 'inbox' })
  const inboxHandlers = new InboxHandlerTable()
  registerFeatureInboxes(inboxHandlers, { apex, remote, store, logger: inboxLog, changes, follows, services, pools, pledgesInbound, agreementsInbound, umbrellaMemberships, memberships, umbrellaWork })
  const inbox = new InboxDispatcher(inboxHandlers, inboxLog)

  const directory = new DirectoryService(store, config.hubUrl, logger.child({ component: 'directory' }))
  changes.subscribe(change => directory.onChange(change))
  await directory.reindexAll()
  const network: NetworkData = networkDataFromStore(store, undefined, async records => await poolCopies.freshAll(records))
  const sync = createSync({
    config, store, apex, remote, client, services, schemas, logger,
    collections: [poolsCollection(store, pools)],
    expirers: [{ label: 'pools', expireDue: now => pools.expireDue(now) }, { label: 'agreements', expireDue: now => agreements.expireDue(now) }, decisionsExpirer(umbrellaWork.decisions)],
    onSiblingReachability: actorId => changes.publish({ type: 'reachability', actorId })
  })
  // A new follow, or a failing co-op heard from again, is caught up at once (queued: never blocks the inbox).
  changes.subscribe(change => {
    if (change.type === 'followed') sync.catchUp.followed(change.actorId)
    else if (change.type === 'actor' || (change.type === 'services' && !change.local)) sync.catchUp.heardFrom(change.actorId)
  })

  return { config, version, logger, store, apex, schemas, tokens, coops, services, follows, publisher, remote, client, delivery, inbox, inboxHandlers, instanceKey, changes, directory, network, pools, poolCopies, pledges, pledgesInbound, agreements, agreementsInbound, trustedServers, domainBlocks, rateLimiter, addressRateLimiter, journal, signatures, sync, umbrellas, umbrellaMemberships, memberships, umbrellaWork }
}

/** The parts whose inbox handlers the features register. */
export type FeatureInboxParts = Pick<HubContext, 'apex' | 'remote' | 'store' | 'logger' | 'changes' | 'follows' | 'services' | 'pools' | 'pledgesInbound' | 'agreementsInbound' | 'umbrellaMemberships' | 'memberships' | 'umbrellaWork'>

/** Registers every feature's inbox handlers, each (activity type, object type) pair once; a pair registered twice throws here, at start. */
export function registerFeatureInboxes (registry: InboxRegistry, parts: FeatureInboxParts): void {
  registerFollowsInbox(registry, parts.follows, parts.changes)
  registerHostedServicesInbox(registry, parts.services, parts.store, parts.logger)
  registerPoolsInbox(registry, parts.pools, parts.pledgesInbound, parts.store, parts.logger)
  registerAgreementsInbox(registry, parts.agreementsInbound)
  registerUmbrellasInbox(registry, parts.umbrellaMemberships, parts.memberships)
  registerUmbrellaWorkInbox(registry, { apex: parts.apex, store: parts.store, remote: parts.remote, work: parts.umbrellaWork, logger: parts.logger })
}

/** Loads the instance actor, creating it (and its keys) on first start. */
async function ensureInstanceActor (apex: Apex, store: HubStore, hubUrl: string): Promise<ApexNode> {
  const id = `${hubUrl}${ROUTES.instanceActor}`
  const existing = await store.getObject(id, true)
  if (existing?._meta?.privateKey) return existing
  const keys = await generateActorKeys()
  const actor = await apex.fromJSONLD({ '@context': apex.context, ...buildInstanceActor(hubUrl, keys.publicKeyPem) }) as ApexNode
  actor._meta = { privateKey: keys.privateKeyPem }
  if (await store.saveObject(actor)) return actor
  // Another process starting on the same store created it first: its key is the one.
  const stored = await store.getObject(id, true)
  if (stored?._meta?.privateKey) return stored
  await store.updateObject(actor, id, true)
  return actor
}
