import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../errors/app-errors'
import { amountProblem } from '../domain/money'
import { pledgeProblem, PoolRecord } from '../domain/funding-pool'
import { buildPledgeOffer, PledgeRecord } from '../domain/pledge'
import { Apex } from '../federation/apex-setup'
import { idOf } from '../domain/activity-streams/nodes'
import type { Publisher } from '../federation/publisher'
import type { RemoteActors } from '../federation/remote-actors'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import { CoopService } from '../coops/coop.service'
import type { PoolService } from './pool.service'
import { pledgeTransition, PledgeSteward } from './pledge-steward'

/** A pledge as the API shows it. */
export interface PledgeView {
  /** The finalized Pledge's id, once the steward accepted it. */
  id: string | null
  offer: string
  pool: string
  pledger: string
  steward: string
  amount: PledgeRecord['amount']
  recurrence: PledgeRecord['recurrence']
  status: PledgeRecord['state']
  reason: string | null
  createdAt: string
  updatedAt: string
}

/**
 * Pledges as the API drives them: a local co-op offers one to a pool on any hub (Offer of a
 * Pledge to the steward) and may withdraw it (Undo); a local steward accepts offered pledges
 * that await approval (Accept with the finalized Pledge as result) or rejects them (Reject saying
 * why), and marks them fulfilled. Every change to a local pool's pledges recomputes its totals
 * and federates them. What arrives from other hubs is `pledge-inbound.service.ts`.
 */
export class PledgeService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly pools: PoolService,
    private readonly publisher: Publisher,
    private readonly remote: RemoteActors,
    private readonly schemas: SchemaValidator,
    private readonly steward: PledgeSteward
  ) {}

  /** Co-op `username` offers a pledge to a pool on any hub; its steward answers later. */
  async offer (username: string, body: unknown): Promise<PledgeView> {
    const input = this.schemas.validate('api/pledge-create.schema.json', body)
    const problem = amountProblem(input.amount)
    if (problem) throw new ValidationError(`The amount is not valid: ${problem}`, { amount: problem })
    const actor = await this.coops.requireActor(username)
    const pool = await this.poolFor(input.pool)
    if (pool.stewardId === actor.id) throw new ValidationError('A co-op cannot pledge to a pool it stewards', { pool: 'is stewarded by this co-op' })
    const amount = { type: 'MonetaryAmount' as const, currency: input.amount.currency, value: input.amount.value }
    const recurrence = input.recurrence ?? 'once'
    const doc = buildPledgeOffer({ poolId: pool.id, pledgerId: actor.id, stewardId: pool.stewardId, amount, recurrence })
    // What the steward would refuse by the copy this hub holds is refused now, not after a round trip.
    const refusal = pledgeProblem(pool.object, doc, actor.id, new Date().toISOString())
    if (refusal) throw new UnprocessableError(`The pool's steward would refuse this pledge: ${refusal}`)
    await this.remote.getActor(pool.stewardId)
    const activity = await this.apex.buildActivity('Offer', actor.id, [pool.stewardId], { object: doc, cc: [] }) as ApexNode
    const now = new Date().toISOString()
    const record: PledgeRecord = {
      offerId: activity.id, pledgeId: null, poolId: pool.id, pledgerId: actor.id, stewardId: pool.stewardId,
      amount, recurrence, state: 'offered', reason: null, stewardProcessed: false, createdAt: now, updatedAt: now
    }
    // Stored with its Offer (as apex's addToOutbox would, but in one transaction), before the
    // Offer is sent: a steward on this same hub may answer at once.
    await this.publisher.post(actor, activity, { records: [{ kind: 'pledge-save', pledge: record }] })
    return toView(record)
  }

  /** The pledger withdraws a pledge that is not fulfilled yet (Undo of its Offer). */
  async withdraw (ref: string[], scope: string): Promise<PledgeView> {
    const record = await this.require(ref)
    const actor = await this.actorFor(record.pledgerId, scope, 'the pledger')
    const next = pledgeTransition(record, { kind: 'withdraw' })
    if (next === record) return toView(record)
    const stewardHere = await this.store.getCoopByActorId(record.stewardId) !== null
    // A steward on this hub stores the withdrawal with its own answers; otherwise the Undo stores it.
    const undo = await this.publisher.prepare(actor, 'Undo', { object: record.offerId }, [record.stewardId],
      stewardHere ? {} : { records: [{ kind: 'pledge-save', pledge: next }] })
    if (stewardHere) await this.steward.apply(next, [undo])
    else await this.publisher.commit([undo])
    return toView(next)
  }

  /** The steward marks an accepted pledge fulfilled: the money arrived. */
  async fulfil (ref: string[], scope: string): Promise<PledgeView> {
    const record = await this.require(ref)
    await this.actorFor(record.stewardId, scope, 'the pool\'s steward')
    const next = pledgeTransition(record, { kind: 'fulfil' })
    if (next !== record) await this.steward.apply(next)
    return toView(next)
  }

  /** The steward decides on a pledge that awaits approval. */
  async decide (ref: string[], scope: string, decision: 'accept' | 'reject', reason?: string): Promise<PledgeView> {
    const record = await this.require(ref)
    const steward = await this.actorFor(record.stewardId, scope, 'the pool\'s steward')
    if (record.state !== 'offered') throw new ConflictError(`The pledge is ${record.state}, not awaiting a decision`)
    if (decision === 'accept') return toView(await this.steward.accept(record, steward))
    const next = pledgeTransition(record, { kind: 'reject', reason: reason ?? 'the steward declined it' })
    await this.publisher.send(steward, 'Reject', { object: record.offerId, summary: next.reason }, [record.pledgerId], { records: [{ kind: 'pledge-save', pledge: next }] })
    return toView(next)
  }

  /** A pledge by any of the ids it is known by (see `docs/pools-and-agreements.md`), or 404. */
  async require (ref: string[]): Promise<PledgeRecord> {
    for (const iri of ref) {
      const found = await this.store.pools.getPledgeById(iri) ?? await this.store.pools.getPledgeByOffer(iri)
      if (found) return found
    }
    throw new NotFoundError(`This hub knows no pledge ${ref[ref.length - 1]}`)
  }

  /** The API view of a pledge. */
  view (record: PledgeRecord): PledgeView {
    return toView(record)
  }

  /** Pledges of a pool, or of a pledger. */
  async list (filter: { poolId?: string, pledgerId?: string }): Promise<PledgeView[]> {
    return (await this.store.pools.listPledges(filter)).map(toView)
  }

  private async actorFor (actorId: string, scope: string, role: string): Promise<ApexNode> {
    const coop = await this.store.getCoopByActorId(actorId)
    if (!coop) throw new ForbiddenError(`Only ${role} (${actorId}) can do this, and it is not on this hub`)
    if (!CoopService.mayActFor(scope, coop)) throw new ForbiddenError(`This token does not act for co-op "${coop.username}", ${role}`)
    return await this.coops.requireActor(coop.username)
  }

  /** The pool a pledge is for: known here, or fetched from its origin and checked. */
  private async poolFor (iri: string): Promise<PoolRecord> {
    const known = await this.store.pools.getPool(iri)
    if (known) return known
    const node = await this.remote.fetchNode(iri)
    const stewardId = idOf(node.attributedTo)
    if (node.id !== iri || !stewardId) throw new ValidationError(`${iri} is not a funding pool`, { pool: 'is not a funding pool' })
    const problem = await this.pools.receive({ id: stewardId, type: 'Organization' }, node)
    if (problem) throw new ValidationError(`${iri} is not a funding pool this hub can use: ${problem}`, { pool: problem })
    return await this.pools.require(iri)
  }
}

function toView (r: PledgeRecord): PledgeView {
  return {
    id: r.pledgeId, offer: r.offerId, pool: r.poolId, pledger: r.pledgerId, steward: r.stewardId, amount: r.amount,
    recurrence: r.recurrence, status: r.state, reason: r.reason, createdAt: r.createdAt, updatedAt: r.updatedAt
  }
}
