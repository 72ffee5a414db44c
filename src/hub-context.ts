import fs from 'fs'
import path from 'path'
import type { HubConfig } from './config/config'
import type { Logger } from './log/logger'
import type { ApexNode, HubStore } from './store/store.port'
import { TokenService } from './auth/token.service'
import { CoopService } from './coops/coop.service'
import { FollowService } from './follows/follow.service'
import { HostedServiceService } from './hosted-services/hosted-service.service'
import { Apex, createApex, first } from './federation/apex-setup'
import { generateActorKeys } from './federation/actors/actor-keys'
import { buildInstanceActor } from './federation/actors/coop-actor'
import { DeliveryWorker } from './federation/delivery/delivery-worker'
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
  instanceKey: () => SigningKey
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
  const instance = await ensureInstanceActor(apex, store, config.hubUrl)
  const instanceKey = signingKeyOf(instance)
  const client = new OutboundClient({
    allowPrivateAddresses: config.allowPrivateAddresses,
    userAgent: `ioocloud-hub/${version} (+${config.hubUrl})`
  })
  const remote = new RemoteActors(apex, store, client, () => instanceKey, logger)
  const keyCache = new Map<string, SigningKey>()
  const delivery = new DeliveryWorker(store, client, async actorId => {
    let key = keyCache.get(actorId)
    if (!key) {
      const actor = await store.getObject(actorId, true)
      if (!actor?._meta?.privateKey) return null
      key = signingKeyOf(actor)
      keyCache.set(actorId, key)
    }
    return key
  }, logger.child({ component: 'delivery' }))

  // The hub's own network parts replace apex's (deprecated `request` client, lossy queue).
  apex.requestObject = id => remote.fetchNode(id)
  apex.queueForDelivery = async (actor, activity, addresses) => {
    await store.deliveryEnqueue(actor.id, apex.stringifyPublicJSONLD(activity), addresses)
    delivery.wake()
  }
  apex.startDelivery = () => delivery.wake()
  apex.runDelivery = () => delivery.wake()

  const schemas = new SchemaValidator()
  const tokens = new TokenService(store)
  const publisher = new Publisher(apex, store)
  const coops = new CoopService(apex, store, tokens, schemas, config.hubUrl)
  const services = new HostedServiceService(apex, store, coops, publisher, schemas, config.hubUrl)
  const follows = new FollowService(apex, store, coops, publisher, remote, client, schemas, config.allowPrivateAddresses)

  const inboxLog = logger.child({ component: 'inbox' })
  const inbox = new InboxDispatcher(inboxLog)
    .on('Follow', onFollow(follows))
    .on('Accept', onFollowAnswer(follows, 'accepted'))
    .on('Reject', onFollowAnswer(follows, 'rejected'))
    .on('Create', onServicePublished(services, store, inboxLog))
    .on('Update', onServicePublished(services, store, inboxLog))
    .on('Delete', onServiceDeleted(services))

  return { config, version, logger, store, apex, schemas, tokens, coops, services, follows, publisher, remote, client, delivery, inbox, instanceKey: () => instanceKey }
}

/** The key a local actor signs with: keyId is its `publicKey.id`. */
function signingKeyOf (actor: ApexNode): SigningKey {
  const key = first<Record<string, unknown>>(actor.publicKey)
  const keyId = typeof key?.id === 'string' ? key.id : `${actor.id}#main-key`
  return { keyId, privateKeyPem: String(actor._meta?.privateKey) }
}

/** Loads the instance actor, creating it (and its keys) on first start. */
async function ensureInstanceActor (apex: Apex, store: HubStore, hubUrl: string): Promise<ApexNode> {
  const id = `${hubUrl}${ROUTES.instanceActor}`
  const existing = await store.getObject(id, true)
  if (existing?._meta?.privateKey) return existing
  const keys = await generateActorKeys()
  const actor = await apex.fromJSONLD({ '@context': apex.context, ...buildInstanceActor(hubUrl, keys.publicKeyPem) }) as ApexNode
  actor._meta = { privateKey: keys.privateKeyPem }
  if (!(await store.saveObject(actor))) await store.updateObject(actor, id, true)
  return actor
}
