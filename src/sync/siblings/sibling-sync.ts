/**
 * Sibling sync: for every co-op this hub's co-ops follow, refetch its actor and collections to
 * catch up on deliveries that never arrived (objects added, changed or removed meanwhile),
 * refresh its server's NodeInfo, count failures (unreachable after several in a row) and
 * collect co-ops it follows as suggestions for the admin.
 */
import { first, idOf } from '../../domain/activity-streams/nodes'
import type { Apex } from '../../federation/apex-setup'
import type { OutboundClient } from '../../federation/http/outbound-client'
import type { RemoteActors } from '../../federation/remote-actors'
import type { Logger } from '../../log/logger'
import type { JobCounts } from '../../store/ports/jobs.port'
import type { HubStore } from '../../store/store.port'
import { addCounts, zeroCounts } from '../scheduler/job-counts'
import { Job, JobContext, JobOutput, outputOfParts } from '../scheduler/job'
import { readCollection } from './collection-reader'
import type { FederatedCollection } from './federated-collection'
import { fetchNodeInfo } from './nodeinfo-client'
import { Candidate, fromDirectoryFeed, fromFollowing } from './suggestions'

/** What syncing one followed co-op did. */
export interface SiblingResult {
  actorId: string
  outcome: 'synced' | 'failed'
  /** Per collection (`services`, …). */
  collections: Record<string, JobCounts>
  counts: JobCounts
  reachable: boolean
  /** True when this sync changed whether the sibling counts as reachable. */
  reachabilityChanged: boolean
  suggestionsAdded: number
  error: string | null
}

/** Settings of sibling sync. */
export interface SiblingSyncOptions {
  unreachableAfter: number
  timeoutMs: number
  /** Told when a sibling's reachability changed, so the directory can show it. */
  onReachabilityChange?: (actorId: string) => Promise<void>
}

/** Catches up on followed co-ops. */
export class SiblingSync {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly remote: RemoteActors,
    private readonly client: OutboundClient,
    private readonly collections: FederatedCollection[],
    private readonly options: SiblingSyncOptions,
    private readonly logger: Logger
  ) {}

  /** The co-ops to sync: every actor a local co-op follows (accepted follows). */
  async followed (): Promise<string[]> {
    const local = new Set((await this.store.listCoops()).map(c => c.actorId))
    return [...new Set((await this.store.listOutgoingFollows()).filter(f => f.state === 'accepted').map(f => f.targetActorId))]
      .filter(id => !local.has(id)).sort()
  }

  /** Syncs one followed co-op; its failure is recorded, never thrown. */
  async syncOne (actorId: string): Promise<SiblingResult> {
    const before = await this.store.siblings.get(actorId)
    const wasReachable = before?.unreachableSince == null
    const result: SiblingResult = { actorId, outcome: 'synced', collections: {}, counts: zeroCounts(), reachable: true, reachabilityChanged: false, suggestionsAdded: 0, error: null }
    try {
      const actor = await this.remote.getActor(actorId, true)
      for (const collection of this.collections) {
        const collectionId = idOf(actor[collection.property])
        if (collectionId) result.collections[collection.label] = await this.catchUp(actor, collection, collectionId)
      }
      result.counts = addCounts(...Object.values(result.collections))
      const origin = new URL(actorId).origin
      const nodeinfo = await fetchNodeInfo(this.client, origin, this.options.timeoutMs).catch(err => {
        this.logger.debug({ actorId, err: (err as Error).message }, 'sibling sync: no readable NodeInfo')
        return null
      })
      await this.store.siblings.recordSuccess(actorId, { nodeinfo: nodeinfo?.document ?? null, software: nodeinfo?.software ?? null })
      result.suggestionsAdded = await this.suggest(actor, origin)
    } catch (err) {
      const message = (err as Error).message
      const record = await this.store.siblings.recordFailure(actorId, message, this.options.unreachableAfter)
      result.outcome = 'failed'
      result.error = message
      result.reachable = record.unreachableSince === null
      this.logger.warn({ actorId, failures: record.failures, unreachable: !result.reachable, err: message }, 'sibling sync failed')
    }
    result.reachabilityChanged = result.reachable !== wasReachable
    if (result.reachabilityChanged) await this.options.onReachabilityChange?.(actorId)
    return result
  }

  /** Brings what this hub holds of one collection in line with what the sibling lists now. */
  private async catchUp (actor: Awaited<ReturnType<RemoteActors['getActor']>>, collection: FederatedCollection, collectionId: string): Promise<JobCounts> {
    const counts = zeroCounts()
    const items = await readCollection(this.remote, collectionId)
    const held = await collection.held(actor.id)
    const listed = new Set<string>()
    for (const item of items) {
      listed.add(item.id)
      const doc = await this.apex.toJSONLD(item) as Record<string, unknown>
      delete doc['@context']
      const previous = held.get(item.id)
      if (previous && sameJson(previous, doc)) { counts.unchanged++; continue }
      const problem = await collection.receive(actor, item)
      if (problem) {
        counts.rejected++
        this.logger.warn({ actor: actor.id, object: item.id, problem }, `sibling sync: ${collection.label} item refused`)
      } else if (previous) counts.changed++
      else counts.added++
    }
    for (const id of held.keys()) {
      if (!listed.has(id) && await collection.forget(actor.id, id)) counts.gone++
    }
    return counts
  }

  private async suggest (actor: Awaited<ReturnType<RemoteActors['getActor']>>, origin: string): Promise<number> {
    const candidates: Candidate[] = []
    for (const find of [() => fromFollowing(this.remote, actor), () => fromDirectoryFeed(this.client, origin, this.options.timeoutMs)]) {
      try { candidates.push(...await find()) } catch (err) {
        this.logger.debug({ actor: actor.id, err: (err as Error).message }, 'sibling sync: could not read whom a sibling follows')
      }
    }
    const local = new Set((await this.store.listCoops()).map(c => c.actorId))
    const followed = new Set((await this.store.listOutgoingFollows()).filter(f => f.state !== 'rejected').map(f => f.targetActorId))
    let added = 0
    for (const c of candidates) {
      if (c.actorId === actor.id || local.has(c.actorId)) continue
      if (followed.has(c.actorId)) { await this.store.siblings.removeSuggestion(c.actorId); continue }
      if (await this.store.siblings.suggest(c.actorId, c.name ?? first<string>((await this.store.getObject(c.actorId))?.name) ?? null, actor.id) === 'added') added++
    }
    return added
  }
}

/** The `siblings` job: every followed co-op, one after another. Option `actor` limits it to one. */
export function siblingsJob (sync: SiblingSync): Job {
  return {
    name: 'siblings',
    description: 'Catch up on followed co-ops: refetch actors and collections, refresh NodeInfo, mark unreachable ones, suggest co-ops they follow',
    async run (context: JobContext): Promise<JobOutput> {
      const targets = context.options.actor ? [context.options.actor] : await sync.followed()
      const results: SiblingResult[] = []
      for (const [i, actorId] of targets.entries()) {
        context.progress({ done: i, total: targets.length, label: actorId })
        results.push(await sync.syncOne(actorId))
      }
      context.progress({ done: targets.length, total: targets.length, label: 'done' })
      return outputOfParts(results, r => r.counts, r => r.outcome === 'failed' ? `${r.actorId}: ${r.error}` : null)
    }
  }
}

/** Deep equality of two JSON values, ignoring key order. */
function sameJson (a: unknown, b: unknown): boolean {
  return stable(a) === stable(b)
}

function stable (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>).sort().map(k => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}
