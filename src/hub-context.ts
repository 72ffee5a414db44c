import fs from 'fs'
import path from 'path'
import type { HubConfig } from './config/config'
import { claimHubUrl } from './config/recorded-hub-url'
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
import { LocalSigningKeys } from './federation/actors/signing-keys'
import { OutboundClient, SigningKey } from './federation/http/outbound-client'
import { onFollow, onFollowAnswer } from './federation/inbox/handlers/follow.handlers'
import { onServiceDeleted, onServicePublished } from './federation/inbox/handlers/hosted-service.handlers'
import { InboxDispatcher } from './federation/inbox/inbox-dispatcher'
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
import { AgreementService } from './agreements/agreement.service'
import { TrustedServers } from './agreements/trusted-servers'
import { onPoolDeleted, onPoolPublished } from './federation/inbox/handlers/funding-pool.handlers'
import { onPledgeAnswer, onPledgeOffer, onPledgeUndo, onPledgeUpdate } from './federation/inbox/handlers/pledge.handlers'
import { onAgreementDecision, onAgreementOffer, onAgreementUpdate } from './federation/inbox/handlers/agreement.handlers'
import { HubChanges } from './events/hub-changes'
import { DirectoryService } from './directory/directory.service'
import { NetworkData, networkDataFromStore } from './directory/network-data'
import { DomainBlockService } from './federation/abuse/domain-block.service'
import { RateLimiter } from './federation/abuse/rate-limiter'
import { pruneFollowersAt } from './federation/delivery/follower-pruning'
import { blockedHostCheck, orderedQueueForDelivery } from './federation/federation-safety'
import { InboxJournal } from './federation/inbox/inbox-journal'
import { onActorDeletedForDirectory, onActorUpdatedForDirectory, onFollowAcceptedForDirectory } from './federation/inbox/handlers/directory.handlers'
import { createSync, SyncParts } from './sync/sync-context'
import { poolsCollection } from './sync/siblings/federated-collection'

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
  inbox: InboxDispatcher
  /** The instance actor's key, read from the store (another process may have replaced it). */
  instanceKey: () => Promise<SigningKey>
  pools: PoolService
  pledges: PledgeService
  agreements: AgreementService
  trustedServers: TrustedServers
  /** Changes other parts mirror (the directory index listens). */
  changes: HubChanges
  directory: DirectoryService
  /** Pools and agreements as the directory pages and feeds read them. */
  network: NetworkData
  /** Domains the admin blocked (API, CLI, inbox, outbound). */
  domainBlocks: DomainBlockService
  /** Per-remote-host limit on inbox requests. */
  rateLimiter: RateLimiter
  /** Inbox crash safety and once-per-recipient processing. */
  journal: InboxJournal
  /** Scheduled sync: jobs, their runner and scheduler, directory sources, sibling sync, health probes. */
  sync: SyncParts
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
  claimHubUrl(store, config.hubUrl)
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
  const remote = new RemoteActors(apex, store, client, instanceKey, logger)
  const delivery = new DeliveryWorker(store, client, actorId => keys.forActor(actorId), logger.child({ component: 'delivery' }), {
    isBlockedHost,
    onGone: async gone => {
      const pruned = await pruneFollowersAt(store, gone.actorId, gone.address)
      if (pruned.length > 0) logger.info({ inbox: gone.address, pruned }, 'delivery: the inbox is gone; its followers were removed')
    }
  })

  // The hub's own network parts replace apex's (deprecated `request` client, lossy queue).
  apex.requestObject = id => remote.fetchNode(id)
  apex.queueForDelivery = orderedQueueForDelivery(apex, store, delivery, isBlockedHost, logger.child({ component: 'delivery' }))
  apex.startDelivery = () => delivery.wake()
  apex.runDelivery = () => delivery.wake()

  const schemas = new SchemaValidator()
  const domainBlocks = new DomainBlockService(store, schemas)
  const rateLimiter = new RateLimiter(config.inboxRateLimitPerMinute)
  const journal = new InboxJournal(store, logger.child({ component: 'inbox' }))
  const tokens = new TokenService(store)
  const publisher = new Publisher(apex, store)
  const changes = new HubChanges(logger.child({ component: 'changes' }))
  const coops = new CoopService(apex, store, tokens, schemas, config.hubUrl, changes, publisher)
  // Actors stored before the pools and agreements collections existed get them (docs/api.md).
  await coops.ensureCollections()
  const services = new HostedServiceService(apex, store, coops, publisher, schemas, config.hubUrl, changes)
  const follows = new FollowService(apex, store, coops, publisher, remote, client, schemas)

  const pools = new PoolService(apex, store, coops, publisher, schemas)
  const pledges = new PledgeService(apex, store, coops, pools, publisher, remote, schemas, logger.child({ component: 'pledges' }))
  const agreements = new AgreementService(apex, store, coops, publisher, remote, client, schemas, logger.child({ component: 'agreements' }))
  const trustedServers = new TrustedServers(apex, store, coops, remote, schemas, logger.child({ component: 'trusted-servers' }))

  const inboxLog = logger.child({ component: 'inbox' })
  const inbox = new InboxDispatcher(inboxLog)
    .on('Follow', onFollow(follows))
    .on('Accept', onFollowAnswer(follows, 'accepted'))
    .on('Reject', onFollowAnswer(follows, 'rejected'))
    .on('Create', onServicePublished(services, store, inboxLog))
    .on('Update', onServicePublished(services, store, inboxLog))
    .on('Delete', onServiceDeleted(services))
    .on('Accept', onFollowAcceptedForDirectory(changes))
    .on('Update', onActorUpdatedForDirectory(changes))
    .on('Create', onPoolPublished(pools, store, inboxLog))
    .on('Update', onPoolPublished(pools, store, inboxLog))
    .on('Delete', onPoolDeleted(pools))
    .on('Offer', onPledgeOffer(pledges))
    .on('Accept', onPledgeAnswer(pledges, 'accepted'))
    .on('Reject', onPledgeAnswer(pledges, 'rejected'))
    .on('Undo', onPledgeUndo(pledges))
    .on('Update', onPledgeUpdate(pledges, inboxLog))
    .on('Offer', onAgreementOffer(agreements))
    .on('Accept', onAgreementDecision(agreements, 'accepted'))
    .on('Reject', onAgreementDecision(agreements, 'rejected'))
    .on('Update', onAgreementUpdate(agreements))

  const directory = new DirectoryService(store, config.hubUrl, logger.child({ component: 'directory' }))
  changes.subscribe(change => directory.onChange(change))
  inbox.on('Delete', onActorDeletedForDirectory(directory))
  await directory.reindexAll()
  const network: NetworkData = networkDataFromStore(store)
  const sync = createSync({
    config, store, apex, remote, client, services, schemas, logger,
    collections: [poolsCollection(store, pools)],
    expirers: [{ label: 'pools', expireDue: now => pools.expireDue(now) }, { label: 'agreements', expireDue: now => agreements.expireDue(now) }],
    onSiblingReachability: actorId => changes.publish({ type: 'actor', actorId })
  })

  return { config, version, logger, store, apex, schemas, tokens, coops, services, follows, publisher, remote, client, delivery, inbox, instanceKey, changes, directory, network, pools, pledges, agreements, trustedServers, domainBlocks, rateLimiter, journal, sync }
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
