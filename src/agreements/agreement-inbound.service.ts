import { hasType, idOf } from '../domain/activity-streams/nodes'
import { HUB_OBJECT_TYPES } from '../domain/activity-streams/object-types'
import {
  AgreementRuleError, amend, decide, Decision, effectiveStatus, expire, expiryDue, expiryNoticeProblem, findVersion, isAgreementType,
  MemberExchangeAgreement, proposeAgreement, terminate, versionProblem
} from '../domain/member-exchange-agreement'
import { embeddedNodeOfType } from '../federation/activity-guards'
import type { Apex } from '../federation/apex-setup'
import type { Publisher } from '../federation/publisher'
import { checkedObject, originProblem } from '../federation/received-object'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import { agreementAudience } from './agreement-audience'

/**
 * Agreements as the other parties' hubs send them: an Offer of a new agreement is recorded as
 * proposed (or refused with a Reject saying why), a party's Accept or Reject of a version is
 * applied, an Update carries an amendment, a termination or the author's expiry notice. The API's
 * half is `agreement.service.ts`.
 */
export class AgreementInboundService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly publisher: Publisher,
    private readonly schemas: SchemaValidator,
    private readonly logger: Logger
  ) {}

  /** An Offer reached a local actor: if it offers an agreement, record it (or refuse it, saying why). */
  async receiveOffer (recipient: ApexNode, actor: ApexNode, activity: ApexNode): Promise<void> {
    const object = embeddedNodeOfType(activity.object, HUB_OBJECT_TYPES.agreement)
    if (!object) return
    const rawParties = (Array.isArray(object.parties) ? object.parties : []).map(p => idOf(p))
    const isParty = rawParties.includes(recipient.id)
    const doc = await this.validVersion(object)
    if (typeof doc !== 'string' && (await this.store.agreements.findByVersionOrActivity(doc.id) ?? await this.store.agreements.findByVersionOrActivity(activity.id))) return
    if (!isParty && !await this.store.isFollowedByAnyCoop(actor.id)) return
    const problem = typeof doc === 'string' ? doc : versionProblem(doc, actor.id) ?? originProblem(doc.id, actor.id) ??
      (doc.context || doc.supersedes ? 'a new agreement cannot supersede another version; amend with Update' : null)
    if (problem !== null || typeof doc === 'string') {
      if (isParty) await this.refuse(recipient, activity, `Agreement refused: ${problem}`, rawParties.filter((p): p is string => !!p && p !== recipient.id))
      return
    }
    try {
      await this.store.agreements.saveAgreement(proposeAgreement(doc, activity.id, new Date().toISOString()))
    } catch (err) {
      if (!(err instanceof AgreementRuleError)) throw err
      if (isParty) await this.refuse(recipient, activity, `Agreement refused: ${err.message}`, doc.parties.filter(p => p !== recipient.id))
    }
  }

  /** A party accepted or rejected a version (the Offer or Update that proposed it). */
  async receiveDecision (recipient: ApexNode, actor: ApexNode, answer: ApexNode, answered: ApexNode, decision: Decision): Promise<boolean> {
    let record = await this.store.agreements.findByVersionOrActivity(answered.id)
    if (!record && hasType(answered, 'Offer')) {
      // The proposal may still be on its way to us (or we only follow this party): apex
      // resolved it from its origin, so take it from there first.
      const author = idOf(answered.actor)
      if (author && originProblem(answered.id, author) === null) await this.receiveOffer(recipient, { id: author, type: 'Organization' }, answered)
      record = await this.store.agreements.findByVersionOrActivity(answered.id)
    }
    if (!record) return false
    if (!record.parties.includes(actor.id)) {
      if (record.parties.includes(recipient.id)) await this.refuse(recipient, answer, `Refused: ${actor.id} is not a party to the agreement ${record.id}`, [actor.id])
      return true
    }
    try {
      const next = decide(record, answered.id, actor.id, decision, new Date().toISOString())
      if (next !== record) await this.store.agreements.saveAgreement(next)
    } catch (err) {
      if (!(err instanceof AgreementRuleError)) throw err
      this.logger.info({ answer: answer.id, problem: err.message }, 'agreement: decision not applied')
    }
    return true
  }

  /** An Update carrying a new version: an amendment or a termination by a party. */
  async receiveUpdate (recipient: ApexNode, actor: ApexNode, activity: ApexNode, object: ApexNode): Promise<void> {
    if (!isAgreementType(object.type)) return
    const doc = await this.validVersion(object)
    if (typeof doc === 'string') {
      this.logger.info({ activity: activity.id, problem: doc }, 'agreement: Update refused')
      return
    }
    if (doc.agreementStatus === 'expired') return await this.receiveExpiry(actor, activity, doc)
    const record = (doc.context ? await this.store.agreements.getAgreement(doc.context) : null) ??
      (doc.supersedes ? await this.store.agreements.findByVersionOrActivity(doc.supersedes) : null)
    if (!record || findVersion(record, doc.id)) return
    const isParty = record.parties.includes(recipient.id)
    const problem = !record.parties.includes(actor.id)
      ? `${actor.id} is not a party to the agreement ${record.id}`
      : versionProblem(doc, actor.id) ?? originProblem(doc.id, actor.id)
    const refuse = async (why: string): Promise<void> => {
      if (isParty) await this.refuse(recipient, activity, `Refused: ${why}`, [actor.id])
      else this.logger.info({ activity: activity.id, problem: why }, 'agreement: Update refused')
    }
    if (problem) return await refuse(problem)
    try {
      const apply = doc.agreementStatus === 'terminated' ? terminate : amend
      await this.store.agreements.saveAgreement(apply(record, doc, activity.id, new Date().toISOString()))
    } catch (err) {
      if (!(err instanceof AgreementRuleError)) throw err
      await refuse(err.message)
    }
  }

  /** The author of the version in force says it expired: this hub stores it too (its own clock must agree). */
  private async receiveExpiry (actor: ApexNode, activity: ApexNode, doc: MemberExchangeAgreement): Promise<void> {
    const record = await this.store.agreements.findByVersionOrActivity(doc.id)
    if (!record || record.status === 'expired') return
    const now = new Date().toISOString()
    const problem = expiryDue(record, now) ? expiryNoticeProblem(record, doc, actor.id, now) : `the agreement is ${effectiveStatus(record, now)} here`
    if (problem) {
      this.logger.info({ activity: activity.id, problem }, 'agreement: expiry notice not applied')
      return
    }
    await this.store.agreements.saveAgreement(expire(record, now).record)
  }

  private async refuse (recipient: ApexNode, activity: ApexNode, summary: string, to: string[]): Promise<void> {
    this.logger.info({ activity: activity.id, summary }, 'agreement: refused')
    if (to.length) await this.publisher.send(recipient, 'Reject', { object: activity.id, summary, cc: agreementAudience(recipient) }, to)
  }

  private async validVersion (node: ApexNode): Promise<MemberExchangeAgreement | string> {
    return await checkedObject(this.apex, this.schemas, 'objects/member-exchange-agreement.schema.json', node, 'MemberExchangeAgreement')
  }
}
