import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-errors'
import { applyPoolUpdate, buildFundingPool, closeAtDeadline, FundingPool, isPastDeadline, PoolRecord, PoolRuleError, takesPledges, withTotals } from '../domain/funding-pool'
import type { PledgeRecord } from '../domain/pledge'
import { Apex } from '../federation/apex-setup'
import { first } from '../domain/activity-streams/nodes'
import { poolPledgesIri } from '../federation/routes/route-paths'
import { checkedObject, ownershipProblem } from '../federation/received-object'
import type { PreparedPublish, Publisher } from '../federation/publisher'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import { CoopService } from '../coops/coop.service'

/** A pool as the API shows it. */
export interface PoolView {
  id: string
  steward: { id: string, name: string | null, preferredUsername: string | null }
  name: string
  summary: string
  url: string
  beneficiary: FundingPool['beneficiary']
  goal: FundingPool['goal']
  period: FundingPool['period']
  deadline: string | null
  status: FundingPool['poolStatus']
  pledgePolicy: NonNullable<FundingPool['pledgePolicy']>
  pledged: FundingPool['pledged']
  received: FundingPool['received']
  paymentLinks: Array<{ name: string | null, href: string }>
  local: boolean
  updated: string
  /** For another hub's pool: when this hub last received or fetched its copy from there; null for the hub's own. */
  refreshedAt: string | null
}

/** Opens, edits, closes and deletes the hub's pools; lists federated ones; keeps totals current. */
export class PoolService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly publisher: Publisher,
    private readonly schemas: SchemaValidator
  ) {}

  /** Opens a pool stewarded by co-op `username` and federates Create to its followers. */
  async open (username: string, body: unknown): Promise<PoolView> {
    const input = this.schemas.validate('api/pool-create.schema.json', body)
    const actor = await this.coops.requireActor(username)
    const id = this.apex.utils.objectIdToIRI()
    const pool = withPledgesCollection(ruled(() => buildFundingPool(input, { id, stewardId: actor.id, followers: first<string>(actor.followers) ?? null, now: new Date().toISOString() })))
    const record = toRecord(pool, true)
    await this.publisher.publishObject(actor, 'Create', pool as unknown as Record<string, unknown>, [{ kind: 'pool-save', pool: record }])
    return await this.view(record)
  }

  /** Applies an admin's PATCH (edit, close, cancel) and federates Update. */
  async update (poolId: string, scope: string, body: unknown): Promise<PoolView> {
    const patch = this.schemas.validate('api/pool-update.schema.json', body)
    const { record, actor } = await this.requireStewardship(poolId, scope)
    const pledges = await this.store.pools.listPledges({ poolId })
    const now = new Date().toISOString()
    const hasPledges = pledges.some(p => p.state === 'pledged' || p.state === 'fulfilled')
    const edited = ruled(() => applyPoolUpdate(record.object, patch, { hasPledges, now }))
    return await this.view(await this.publish(actor, withTotals(edited, pledges, now)))
  }

  /** Deletes a pool and federates Delete; its pledges stay as history. */
  async remove (poolId: string, scope: string): Promise<void> {
    const { record, actor } = await this.requireStewardship(poolId, scope)
    await this.publisher.publishDelete(actor, record.id, [{ kind: 'pool-delete', id: record.id }])
  }

  /**
   * Recomputes a local pool's totals from its pledges and federates an Update of the pool; `pledge`,
   * the pool and `more` (the steward's answer) are stored in the same transaction as that Update.
   */
  async recordPledge (pledge: PledgeRecord, more: PreparedPublish[] = []): Promise<PoolRecord> {
    const record = await this.store.pools.getPool(pledge.poolId)
    if (!record?.local) throw new NotFoundError(`There is no pool ${pledge.poolId} on this hub`)
    const others = (await this.store.pools.listPledges({ poolId: record.id })).filter(p => p.offerId !== pledge.offerId)
    const pool = withPledgesCollection(withTotals(record.object, [...others, pledge], new Date().toISOString()))
    const next = toRecord(pool, true)
    const actor = await this.store.getObject(record.stewardId, true)
    if (!actor) {
      await this.store.pools.savePledgeAndPool(pledge, next)
      await this.publisher.commit(more)
      return next
    }
    const update = await this.publisher.prepareObject(actor, 'Update', pool as unknown as Record<string, unknown>, [
      { kind: 'pledge-save', pledge }, { kind: 'pool-save', pool: next }
    ])
    await this.publisher.commit([update, ...more])
    return next
  }

  /** A pool by id, or 404. */
  async require (poolId: string): Promise<PoolRecord> {
    const record = await this.store.pools.getPool(poolId)
    if (!record) throw new NotFoundError(`This hub knows no pool ${poolId}`)
    return record
  }

  /** Pools this hub knows, local and federated; records pass through `current` (e.g. to refresh stale copies) when given. */
  async list (filter: { stewardId?: string, local?: boolean } = {}, current: (records: PoolRecord[]) => Promise<PoolRecord[]> = async r => r): Promise<PoolView[]> {
    const records = await current(await this.store.pools.listPools(filter))
    return await Promise.all(records.map(r => this.view(r)))
  }

  /** The API view of a pool record. */
  async view (record: PoolRecord): Promise<PoolView> {
    const p = record.object
    const steward = await this.store.getObject(record.stewardId)
    const links = p.attachment === undefined ? [] : Array.isArray(p.attachment) ? p.attachment : [p.attachment]
    return {
      id: record.id,
      steward: { id: record.stewardId, name: first<string>(steward?.name) ?? null, preferredUsername: first<string>(steward?.preferredUsername) ?? null },
      name: p.name,
      summary: p.summary,
      url: p.url,
      beneficiary: p.beneficiary,
      goal: p.goal,
      period: p.period,
      deadline: p.endTime ?? null,
      status: p.poolStatus,
      pledgePolicy: p.pledgePolicy ?? 'automatic',
      pledged: p.pledged,
      received: p.received,
      paymentLinks: links.map(l => ({ name: l.name ?? null, href: l.href })),
      local: record.local,
      updated: record.updatedAt,
      refreshedAt: record.local ? null : record.refreshedAt ?? null
    }
  }

  /**
   * Keeps a FundingPool that arrived in a Create or Update from its steward, after checking it
   * against the schema and that the sender is its steward on its own server. Answers why not.
   */
  async receive (actor: ApexNode, object: ApexNode): Promise<string | null> {
    const pool = await checkedObject(this.apex, this.schemas, 'objects/funding-pool.schema.json', object, 'FundingPool')
    if (typeof pool === 'string') return pool
    const problem = ownershipProblem(pool, actor.id)
    if (problem) return problem
    const existing = await this.store.pools.getPool(pool.id)
    if (existing?.local) return 'it is one of this hub\'s own pools'
    if (existing && pool.updated && existing.object.updated && Date.parse(pool.updated) < Date.parse(existing.object.updated)) {
      return 'it is older than the copy this hub has'
    }
    await this.store.pools.savePool({ ...toRecord(pool, false), refreshedAt: new Date().toISOString() })
    return null
  }

  /** Forgets a federated pool its steward deleted; false when unknown or not theirs. */
  async forget (actorId: string, objectId: string): Promise<boolean> {
    const existing = await this.store.pools.getPool(objectId)
    if (!existing || existing.local || existing.stewardId !== actorId) return false
    return await this.store.pools.deletePool(objectId)
  }

  /** The local pool and its steward's actor, when `scope` may act for the steward (403 otherwise). */
  async requireStewardship (poolId: string, scope: string): Promise<{ record: PoolRecord, actor: ApexNode }> {
    const record = await this.require(poolId)
    const coop = await this.store.getCoopByActorId(record.stewardId)
    if (!record.local || !coop) throw new ForbiddenError(`The pool ${poolId} is stewarded on another hub; only its steward can change it`)
    if (!CoopService.mayActFor(scope, coop)) throw new ForbiddenError(`This token does not act for co-op "${coop.username}", the pool's steward`)
    const actor = await this.coops.requireActor(coop.username)
    return { record, actor }
  }

  /**
   * Closes every local pool that still takes pledges past its deadline, and federates an Update
   * of each to the steward's followers. Answers how many it closed of the pools taking pledges.
   */
  async expireDue (now: string): Promise<{ expired: number, checked: number }> {
    const open = (await this.store.pools.listPools({ local: true })).filter(r => takesPledges(r.object))
    let expired = 0
    for (const record of open) {
      if (!isPastDeadline(record.object, now)) continue
      const closed = closeAtDeadline(record.object, now)
      const actor = await this.store.getObject(record.stewardId, true)
      if (actor) await this.publish(actor, closed)
      else await this.store.pools.savePool(toRecord(closed, true))
      expired++
    }
    return { expired, checked: open.length }
  }

  private async publish (actor: ApexNode, edited: FundingPool): Promise<PoolRecord> {
    const pool = withPledgesCollection(edited)
    const record = toRecord(pool, true)
    await this.publisher.publishObject(actor, 'Update', pool as unknown as Record<string, unknown>, [{ kind: 'pool-save', pool: record }])
    return record
  }
}

/** A pool's storage record. */
export function toRecord (pool: FundingPool, local: boolean): PoolRecord {
  return { id: pool.id, stewardId: pool.attributedTo, local, status: pool.poolStatus, currency: pool.goal.currency, object: pool, updatedAt: pool.updated ?? new Date().toISOString() }
}

/** A local pool names its `pledges` collection (pools published before it was served get it on their next Update). */
function withPledgesCollection (pool: FundingPool): FundingPool {
  return pool.pledges ? pool : { ...pool, pledges: poolPledgesIri(pool.id) }
}

/** Runs a domain rule; its refusal becomes a 400 naming the field, or 409 for a state conflict. */
function ruled<T> (work: () => T): T {
  try {
    return work()
  } catch (err) {
    if (err instanceof PoolRuleError) {
      if (err.field === 'status') throw new ConflictError(err.message)
      throw new ValidationError(err.message, { [err.field]: err.message })
    }
    throw err
  }
}
