import { first, idOf } from '../domain/activity-streams/nodes'
import { HUB_OBJECT_TYPES } from '../domain/activity-streams/object-types'
import { pledgeProblem } from '../domain/funding-pool'
import { applyPledgeEvent, Pledge, PledgeEvent, PledgeRecord, PledgeTransitionError } from '../domain/pledge'
import { embeddedNode, embeddedNodeOfType } from '../federation/activity-guards'
import type { Apex } from '../federation/apex-setup'
import type { Publisher } from '../federation/publisher'
import { checkedObject } from '../federation/received-object'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import { pledgeTransition, PledgeSteward } from './pledge-steward'

/**
 * Pledges as they arrive from other hubs. On the steward's side: an Offer of a Pledge is checked
 * and answered (Accept with the finalized Pledge, or Reject saying why), an Undo withdraws it. On
 * the pledger's side: the steward's answer, its refusal of a withdrawal, and its later Updates of
 * the Pledge (fulfilled, cancelled, lapsed). The API's half is `pledge.service.ts`.
 */
export class PledgeInboundService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly steward: PledgeSteward,
    private readonly publisher: Publisher,
    private readonly schemas: SchemaValidator,
    private readonly logger: Logger
  ) {}

  // The steward's side.

  /** An Offer reached a local actor: if it offers a Pledge, the steward checks it and answers. */
  async receiveOffer (recipient: ApexNode, actor: ApexNode, activity: ApexNode): Promise<void> {
    const object = embeddedNodeOfType(activity.object, HUB_OBJECT_TYPES.pledge)
    if (!object) return
    const existing = await this.store.pools.getPledgeByOffer(activity.id)
    if (existing?.stewardProcessed) return
    const offer = await this.validPledge(object)
    const refuse = async (reason: string): Promise<void> => {
      this.logger.info({ offer: activity.id, actor: actor.id, reason }, 'pledge refused')
      const records = existing ? [{ kind: 'pledge-save' as const, pledge: { ...pledgeTransition(existing, { kind: 'reject', reason }), stewardProcessed: true } }] : []
      await this.publisher.send(recipient, 'Reject', { object: activity.id, summary: `Pledge refused: ${reason}` }, [actor.id], { records })
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
    await this.steward.accept(record, recipient)
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
    if (next !== record) await this.steward.apply(next)
  }

  // The pledger's side.

  /** The steward accepted (with the finalized Pledge) or rejected one of our Offers. */
  async receiveAnswer (recipient: ApexNode, actor: ApexNode, answer: ApexNode, answered: ApexNode, decision: 'accepted' | 'rejected'): Promise<void> {
    const record = await this.store.pools.getPledgeByOffer(answered.id)
    if (!record || record.pledgerId !== recipient.id || record.stewardId !== actor.id) return
    const now = new Date().toISOString()
    let event: PledgeEvent
    if (decision === 'rejected') {
      event = { kind: 'reject', reason: first<string>(answer.summary) ?? first<string>(answer.content) ?? 'the steward gave no reason' }
    } else {
      const result = embeddedNode(answer.result)
      const pledge = result ? await this.validPledge(result) : 'the Accept has no result'
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
      // An accepted pledge changed the pool's totals on its hub: this hub's copy is now older than the pool.
      if (next !== record && event.kind === 'accept') await this.store.pools.notePoolChange(record.poolId, now)
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
    if (await this.store.getCoopByActorId(record.stewardId)) return null
    const now = new Date().toISOString()
    const next = applyPledgeEvent(record, { kind: 'steward-status', status: pledge.pledgeStatus, pledgeId: pledge.id }, now)
    if (next !== record) {
      await this.store.pools.savePledge(next)
      // A fulfilled, cancelled or lapsed pledge changes the pool's totals: the copy here is older now.
      await this.store.pools.notePoolChange(record.poolId, now)
    }
    return null
  }

  /** The Pledge in a federated node, checked against the schema; or why it is not one. */
  private async validPledge (node: ApexNode): Promise<Pledge | string> {
    return await checkedObject(this.apex, this.schemas, 'objects/pledge.schema.json', node, 'Pledge')
  }
}
