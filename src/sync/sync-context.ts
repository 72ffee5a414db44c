/**
 * Wires the scheduled sync: jobs (directories, siblings, health, expiry), the runner with its
 * leases, the node-cron scheduler, and the services the API and CLI use.
 */
import type { HubConfig } from '../config/config'
import type { Apex } from '../federation/apex-setup'
import type { OutboundClient } from '../federation/http/outbound-client'
import type { RemoteActors } from '../federation/remote-actors'
import type { HostedServiceService } from '../hosted-services/hosted-service.service'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { HubStore } from '../store/store.port'
import { expiryJob, Expirer } from './expiry/expiry.job'
import { healthJob } from './health/health.job'
import { HealthProber } from './health/health-prober'
import type { Job } from './scheduler/job'
import type { JobName } from '../domain/job-names'
import { JobRunner } from './scheduler/job-runner'
import { JobsService } from './scheduler/jobs.service'
import { Scheduler } from './scheduler/scheduler'
import { FederatedCollection, servicesCollection } from './siblings/federated-collection'
import { SiblingSync, siblingsJob } from './siblings/sibling-sync'
import { FollowCatchUp } from './siblings/follow-catch-up'
import { directoriesJob } from './sources/directories.job'
import { SourceAdminService } from './sources/source-admin.service'
import { SourceImporter } from './sources/source-importer'

/** The sync parts the rest of the hub uses. */
export interface SyncParts {
  runner: JobRunner
  scheduler: Scheduler
  jobs: JobsService
  sources: SourceAdminService
  importer: SourceImporter
  siblings: SiblingSync
  /** Catch-up on a co-op as soon as it is followed (or heard from again), outside the schedule. */
  catchUp: FollowCatchUp
  prober: HealthProber
}

/** What sync is built from. */
export interface SyncDeps {
  config: HubConfig
  store: HubStore
  apex: Apex
  remote: RemoteActors
  client: OutboundClient
  services: HostedServiceService
  schemas: SchemaValidator
  logger: Logger
  /** Further collections sibling sync catches up on (e.g. funding pools), besides services. */
  collections?: FederatedCollection[]
  /** What the expiry job closes (pools, agreements). */
  expirers?: Expirer[]
  /** Told when a followed co-op became unreachable or reachable again. */
  onSiblingReachability?: (actorId: string) => Promise<void>
}

/** Builds the sync parts on the hub's store and clients; nothing runs until `scheduler.start()`. */
export function createSync (deps: SyncDeps): SyncParts {
  const { config, store, logger } = deps
  const sync = config.sync
  const log = logger.child({ component: 'sync' })
  const importer = new SourceImporter(store.directory, store.syncSources, deps.client,
    { timeoutMs: sync.fetchTimeoutMs, maxBytes: sync.maxSourceBytes, maxDocuments: 2000, concurrency: 4 }, sync.graceMs, log)
  const siblings = new SiblingSync(deps.apex, store, deps.remote, deps.client,
    [servicesCollection(store, deps.services), ...(deps.collections ?? [])],
    { unreachableAfter: sync.siblingUnreachableAfter, timeoutMs: sync.fetchTimeoutMs, onReachabilityChange: deps.onSiblingReachability }, log)
  const prober = new HealthProber(deps.client, sync.healthTimeoutMs, sync.healthSlowMs)
  const jobs = new Map<JobName, Job>([
    ['directories', directoriesJob(store.syncSources, importer)],
    ['siblings', siblingsJob(siblings)],
    ['health', healthJob(store, store.health, prober, deps.services, log)],
    ['expiry', expiryJob(deps.expirers ?? [])]
  ])
  const runner = new JobRunner(store.jobs, jobs, sync.leaseMs, log)
  return {
    runner,
    scheduler: new Scheduler(runner, sync, log),
    jobs: new JobsService(runner, store.jobs, sync),
    sources: new SourceAdminService(store.syncSources, store.directory, deps.schemas, deps.client.privateAddresses),
    importer,
    siblings,
    catchUp: new FollowCatchUp(siblings, store.siblings, log),
    prober
  }
}
