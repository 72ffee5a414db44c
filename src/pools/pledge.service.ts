import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-errors'
import { pledgeProblem } from '../domain/funding-pool'
import { amountProblem } from '../domain/money'
import {
  applyPledgeEvent, buildFinalizedPledge, buildPledgeOffer, isPledgeType, Pledge, PledgeEvent, PledgeRecord, PledgeTransitionError
} from '../domain/pledge'
import { Apex } from '../federation/apex-setup'
import { first, idOf } from '../domain/activity-streams/nodes'
import type { Publisher } from '../federation/publisher'
import { checkedObject } from '../federation/received-object'
import type { RemoteActors } from '../federation/remote-actors'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import { CoopService } from '../coops/coop.service'
import type { PoolService } from './pool.service'

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
 * Pledges, both ways: a local co-op offers one to a pool on any hub (Offer of a Pledge to the
 * steward) and may withdraw it (Undo); a local steward checks offered pledges, accepts them
 * (Accept with the finalized Pledge as result) or rejects them (Reject saying why), and marks
 * them fulfilled. Every change to a local pool's pledges recomputes its totals and federates them.
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
    private readonly logger: Logger
  ) {}

  /** Co-op `username` offers a pledge to a pool on any hub; its steward answers later. */
  async offer (username: string, body: unknown): Promise<PledgeView> {
    const input = this.schemas.validate('api/pledge-create.schema.json', body)
    const problem = amountProblem(input.amount)
    if (problem) throw new ValidationError(`The amount is not valid: ${problem}`, { amount: problem })
    const actor = await this.coops.requireActor(username)
    const pool = await this.poolFor(input.pool)
    if (pool.stewardId === actor.id) throw new ValidationError('A co-op cannot pledge to a pool it stewards', { pool: 'is stewarded by this co-op' })
    await this.remote.getActor(pool.stewardId)
    const amount = { type: 'MonetaryAmount' as const, currency: input.amount.currency, value: input.amount.value }
    const recurrence = input.recurrence ?? 'once'
    const doc = buildPledgeOffer({ poolId: pool.id, pledgerId: actor.id, stewardId: pool.stewardId, amount, recurrence })
    const activity = await this.apex.buildActivity('Offer', actor.id, [pool.stewardId], { object: doc, cc: [] }) as ApexNode
    const now = new Date().toISOString()
    const record: PledgeRecord = {
      offerId: activity.id, pledgeId: null, poolId: pool.id, pledgerId: actor.id, stewardId: pool.stewardId,
      amount, recurrence, state: 'offered', reason: null, stewardProcessed: false, createdAt: now, updatedAt: now
    }
    // Stored before it is sent: a steward on this same hub may answer at once.
    await this.store.pools.savePledge(record)
    await this.apex.addToOutbox(actor, activity)
    return toView(record)
  }

  /** The pledger withdraws a pledge that is not fulfilled yet (Undo of its Offer). */
  async withdraw (ref: string[], scope: string): Promise<PledgeView> {
    const record = await this.require(ref)
    const actor = await this.actorFor(record.pledgerId, scope, 'the pledger')
    const next = transition(record, { kind: 'withdraw' })
    if (next === record) return toView(record)
    const stewardHere = this.store.getCoopByActorId(record.stewardId) !== null
    if (stewardHere) await this.stewardApplies(next)
    else await this.store.pools.savePledge(next)
    await this.publisher.send(actor, 'Undo', { object: record.offerId }, [record.stewardId])
    return toView(next)
  }

  /** The steward marks an accepted pledge fulfilled: the money arrived. */
  async fulfil (ref: string[], scope: string): Promise<PledgeView> {
    const record = await this.require(ref)
    await this.actorFor(record.stewardId, scope, 'the pool\'s steward')
    const next = transition(record, { kind: 'fulfil' })
    if (next !== record) await this.stewardApplies(next)
    return toView(next)
  }

  /** The steward decides on a pledge that awaits approval. */
  async decide (ref: string[], scope: string, decision: 'accept' | 'reject', reason?: string): Promise<PledgeView> {
    const record = await this.require(ref)
    const steward = await this.actorFor(record.stewardId, scope, 'the pool\'s steward')
    if (record.state !== 'offered') throw new ConflictError(`The pledge is ${record.state}, not awaiting a decision`)
    if (decision === 'accept') return toView(await this.acceptAsSteward(record, steward))
    const next = transition(record, { kind: 'reject', reason: reason ?? 'the steward declined it' })
    await this.store.pools.savePledge(next)
    await this.publisher.send(steward, 'Reject', { object: record.offerId, summary: next.reason }, [record.pledgerId])
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

  // Federation: the steward's side.

  /** An Offer reached a local actor: if it offers a Pledge, the steward checks it and answers. */
  async receiveOffer (recipient: ApexNode, actor: ApexNode, activity: ApexNode): Promise<void> {
    const object = first<ApexNode>(activity.object)
    if (!object || typeof object !== 'object' || !isPledgeType(object.type)) return
    const existing = await this.store.pools.getPledgeByOffer(activity.id)
    if (existing?.stewardProcessed) return
    const offer = await this.validPledge(object)
    const refuse = async (reason: string): Promise<void> => {
      this.logger.info({ offer: activity.id, actor: actor.id, reason }, 'pledge refused')
      if (existing) await this.store.pools.savePledge({ ...transition(existing, { kind: 'reject', reason }), stewardProcessed: true })
      await this.publisher.send(recipient, 'Reject', { object: activity.id, summary: `Pledge refused: ${reason}` }, [actor.id])
    }
    if (typeof offer === 'string') return await refuse(offer)
    const pool = await this.store.pools.getPool(offer.context)
    if (!pool?.local) return await refuse(`this hub has no pool ${offer.context}`)
    if (pool.stewardId !== recipient.id) return await refuse(`${recipient.id} is not the steward of ${offer.context}`)
    const now = new Date().toISOString()
    const problem = pledgeProblem(pool.object, offer, actor.id, now)
    if (problem) return await refuse(problem)
    const record: PledgeRecord = {
      ...(existing ?? {
        offerId: activity.id, poolId: pool.id, pledgerId: actor.id, stewardId: recipient.id, amount: { type: 'MonetaryAmount', currency: offer.amount.currency, value: offer.amount.value },
        recurrence: offer.recurrence, state: 'offered', reason: null, createdAt: now
      }),
      pledgeId: existing?.pledgeId ?? this.apex.utils.objectIdToIRI(),
      stewardProcessed: true,
      updatedAt: now
    }
    if (pool.object.pledgePolicy === 'approval') {
      await this.store.pools.savePledge(record)
      return
    }
    await this.acceptAsSteward(record, recipient)
  }

  /** An Undo of a pledge's Offer reached its steward: withdraw it, or refuse saying why. */
  async receiveUndo (recipient: ApexNode, actor: ApexNode, undo: ApexNode, offer: ApexNode | undefined): Promise<void> {
    const offerId = offer?.id ?? idOf(undo.object)
    const record = offerId ? await this.store.pools.getPledgeByOffer(offerId) : null
    if (!record || record.stewardId !== recipient.id) return
    if (record.pledgerId !== actor.id) {
      await this.publisher.send(recipient, 'Reject', { object: undo.id, summary: `Withdrawal refused: only the pledger ${record.pledgerId} can withdraw this pledge` }, [actor.id])
      return
    }
    let next: PledgeRecord
    try {
      next = applyPledgeEvent(record, { kind: 'withdraw' }, new Date().toISOString())
    } catch (err) {
      if (!(err instanceof PledgeTransitionError)) throw err
      await this.publisher.send(recipient, 'Reject', { object: undo.id, summary: `Withdrawal refused: ${err.message}` }, [actor.id])
      return
    }
    if (next !== record) await this.stewardApplies(next)
  }

  // Federation: the pledger's side.

  /** The steward accepted (with the finalized Pledge) or rejected one of our Offers. */
  async receiveAnswer (recipient: ApexNode, actor: ApexNode, answer: ApexNode, answered: ApexNode, decision: 'accepted' | 'rejected'): Promise<void> {
    const record = await this.store.pools.getPledgeByOffer(answered.id)
    if (!record || record.pledgerId !== recipient.id || record.stewardId !== actor.id) return
    const now = new Date().toISOString()
    let event: PledgeEvent
    if (decision === 'rejected') {
      event = { kind: 'reject', reason: first<string>(answer.summary) ?? first<string>(answer.content) ?? 'the steward gave no reason' }
    } else {
      const result = first<ApexNode>(answer.result)
      const pledge = result && typeof result === 'object' ? await this.validPledge(result) : 'the Accept has no result'
      if (typeof pledge === 'string' || !pledge.id || pledge.attributedTo !== actor.id || new URL(pledge.id).origin !== new URL(actor.id).origin ||
        pledge.context !== record.poolId || pledge.amount.value !== record.amount.value || pledge.amount.currency !== record.amount.currency) {
        this.logger.warn({ answer: answer.id, problem: pledge }, 'pledge: Accept with an unusable result ignored')
        return
      }
      event = { kind: 'accept', pledgeId: pledge.id }
    }
    try {
      const next = applyPledgeEvent(record, event, now)
      if (next !== record) await this.store.pools.savePledge(next)
    } catch (err) {
      if (!(err instanceof PledgeTransitionError)) throw err
    }
  }

  /** The steward refused a withdrawal: keep its reason next to the pledge. */
  async receiveUndoRefused (recipient: ApexNode, actor: ApexNode, answer: ApexNode, undo: ApexNode): Promise<void> {
    const offerId = idOf(undo.object)
    const record = offerId ? await this.store.pools.getPledgeByOffer(offerId) : null
    if (!record || record.pledgerId !== recipient.id || record.stewardId !== actor.id) return
    const reason = first<string>(answer.summary) ?? 'the steward refused the withdrawal'
    await this.store.pools.savePledge({ ...record, reason, updatedAt: new Date().toISOString() })
  }

  /** The steward published a finalized Pledge (fulfilled, cancelled…): the pledger's hub follows it. */
  async receivePledgeUpdate (recipient: ApexNode, actor: ApexNode, object: ApexNode): Promise<string | null> {
    const pledge = await this.validPledge(object)
    if (typeof pledge === 'string') return pledge
    if (!pledge.id || !pledge.pledgeStatus) return 'a published Pledge needs an id and a pledgeStatus'
    const record = await this.store.pools.getPledgeById(pledge.id)
    if (!record) return null
    if (record.stewardId !== actor.id) return `only the steward ${record.stewardId} can change this pledge`
    // On a hub that is both steward and pledger, the steward's record is already current.
    if (this.store.getCoopByActorId(record.stewardId)) return null
    const next = applyPledgeEvent(record, { kind: 'steward-status', status: pledge.pledgeStatus, pledgeId: pledge.id }, new Date().toISOString())
    if (next !== record) await this.store.pools.savePledge(next)
    return null
  }

  private async acceptAsSteward (record: PledgeRecord, steward: ApexNode): Promise<PledgeRecord> {
    const pledgeId = record.pledgeId ?? this.apex.utils.objectIdToIRI()
    const next = { ...transition(record, { kind: 'accept', pledgeId }), stewardProcessed: true }
    await this.pools.recordPledge(next)
    const doc = buildFinalizedPledge({ ...next, pledgeId }, { followers: first<string>(steward.followers) ?? null })
    await this.publisher.storeObject(steward, doc as unknown as Record<string, unknown>)
    await this.publisher.send(steward, 'Accept', { object: next.offerId, result: doc }, [next.pledgerId])
    return next
  }

  /** Stores a steward-side change, recomputes and federates the pool, and publishes the Pledge. */
  private async stewardApplies (next: PledgeRecord): Promise<void> {
    await this.pools.recordPledge(next)
    if (!next.pledgeId) return
    const steward = await this.store.getObject(next.stewardId, true)
    if (!steward) return
    const doc = buildFinalizedPledge({ ...next, pledgeId: next.pledgeId }, { followers: first<string>(steward.followers) ?? null })
    await this.publisher.storeObject(steward, doc as unknown as Record<string, unknown>)
    await this.publisher.send(steward, 'Update', { object: doc }, [next.pledgerId])
  }

  private async actorFor (actorId: string, scope: string, role: string): Promise<ApexNode> {
    const coop = this.store.getCoopByActorId(actorId)
    if (!coop) throw new ForbiddenError(`Only ${role} (${actorId}) can do this, and it is not on this hub`)
    if (!CoopService.mayActFor(scope, coop)) throw new ForbiddenError(`This token does not act for co-op "${coop.username}", ${role}`)
    return await this.coops.requireActor(coop.username)
  }

  /** The pool a pledge is for: known here, or fetched from its origin and checked. */
  private async poolFor (iri: string): Promise<{ id: string, stewardId: string }> {
    const known = await this.store.pools.getPool(iri)
    if (known) return known
    const node = await this.remote.fetchNode(iri)
    const stewardId = idOf(node.attributedTo)
    if (node.id !== iri || !stewardId) throw new ValidationError(`${iri} is not a funding pool`, { pool: 'is not a funding pool' })
    const problem = await this.pools.receive({ id: stewardId, type: 'Organization' }, node)
    if (problem) throw new ValidationError(`${iri} is not a funding pool this hub can use: ${problem}`, { pool: problem })
    return await this.pools.require(iri)
  }

  /** The Pledge in a federated node, checked against the schema; or why it is not one. */
  private async validPledge (node: ApexNode): Promise<Pledge | string> {
    return await checkedObject(this.apex, this.schemas, 'objects/pledge.schema.json', node, 'Pledge')
  }
}

function transition (record: PledgeRecord, event: PledgeEvent): PledgeRecord {
  try {
    return applyPledgeEvent(record, event, new Date().toISOString())
  } catch (err) {
    if (err instanceof PledgeTransitionError) throw new ConflictError(`This cannot be done: ${err.message}`)
    throw err
  }
}

function toView (r: PledgeRecord): PledgeView {
  return {
    id: r.pledgeId, offer: r.offerId, pool: r.poolId, pledger: r.pledgerId, steward: r.stewardId, amount: r.amount,
    recurrence: r.recurrence, status: r.state, reason: r.reason, createdAt: r.createdAt, updatedAt: r.updatedAt
  }
}
