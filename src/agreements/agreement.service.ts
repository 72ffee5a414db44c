import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-errors'
import {
  AgreementRecord, AgreementRuleError, AgreementVersion, amend, buildAgreementVersion, currentVersion, decide, Decision, effectiveStatus,
  expire, expiryDue, findVersion, latestVersion, MemberExchangeAgreement, openingsOf,
  proposeAgreement, ServiceOpening, terminate, versionProblem
} from '../domain/member-exchange-agreement'
import { ADMIN_SCOPE } from '../auth/token.service'
import { Apex } from '../federation/apex-setup'
import { first } from '../domain/activity-streams/nodes'
import type { OutboundClient } from '../federation/http/outbound-client'
import type { Publisher } from '../federation/publisher'
import type { RemoteActors } from '../federation/remote-actors'
import { isHandle, lookupHandle } from '../follows/webfinger-client'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import type { CoopService } from '../coops/coop.service'
import { agreementAudience } from './agreement-audience'
import { AgreementView, toAgreementView } from './agreement-view'

/**
 * Member-exchange agreements across hubs, as the API drives them: a local co-op offers one (Offer
 * to every other party), each party accepts or rejects it (Accept / Reject of the Offer), a party
 * amends it (Update with a new version, which needs everyone's acceptance again) or terminates it
 * (Update with a termination version). Every party's hub applies the same transitions to its own
 * copy; what arrives from the other parties is `agreement-inbound.service.ts`.
 */
export class AgreementService {
  constructor (
    private readonly apex: Apex,
    private readonly store: HubStore,
    private readonly coops: CoopService,
    private readonly publisher: Publisher,
    private readonly remote: RemoteActors,
    private readonly client: OutboundClient,
    private readonly schemas: SchemaValidator
  ) {}

  /** Co-op `username` offers an agreement to the other parties. */
  async propose (username: string, body: unknown): Promise<AgreementView> {
    const input = this.schemas.validate('api/agreement-create.schema.json', body)
    const actor = await this.coops.requireActor(username)
    const others: string[] = []
    for (const ref of input.parties) {
      const id = await this.resolveActor(ref, 'parties')
      if (id === actor.id) throw new ValidationError('The proposing co-op is a party already; list only the others', { parties: 'includes the proposing co-op' })
      if (!others.includes(id)) others.push(id)
    }
    for (const id of others) await this.remote.getActor(id)
    const parties = [actor.id, ...others]
    const services = await this.openings(input.services, parties, actor.id)
    const now = new Date().toISOString()
    const id = this.apex.utils.objectIdToIRI()
    const doc = this.checked(buildAgreementVersion({
      id, author: actor.id, parties, name: input.name ?? `Member exchange: ${parties.length} co-ops`, terms: input.terms, services,
      startTime: input.startTime, endTime: input.endTime, status: 'proposed', authorFollowers: first<string>(actor.followers) ?? null, now
    }), actor.id)
    const activity = await this.buildActivity(actor, 'Offer', doc)
    const record = ruled(() => proposeAgreement(doc, activity.id, now))
    await this.publisher.post(actor, activity, { documents: [doc as unknown as Record<string, unknown>], records: [{ kind: 'agreement-save', agreement: record }] })
    return toAgreementView(record, now)
  }

  /** A local party accepts or rejects the version awaiting decisions. */
  async decide (ref: string[], scope: string, decision: Decision, body: unknown): Promise<AgreementView> {
    const input = this.schemas.validate('api/agreement-decision.schema.json', body ?? {})
    const record = await this.require(ref)
    const party = await this.actingParty(record, scope, input.coop)
    const pending = record.pendingVersionId ? findVersion(record, record.pendingVersionId) : undefined
    if (!pending) throw new ConflictError(`Nothing awaits a decision: the agreement is ${effectiveStatus(record, new Date().toISOString())}`)
    const now = new Date().toISOString()
    const next = ruled(() => decide(record, pending.id, party.id, decision, now))
    if (next === record) return toAgreementView(record, now)
    const extras: Record<string, unknown> = { object: pending.activityId }
    if (input.reason) extras.summary = input.reason
    await this.publisher.send(party, decision === 'accepted' ? 'Accept' : 'Reject', { ...extras, cc: agreementAudience(party) }, others(record, party.id),
      { records: [{ kind: 'agreement-save', agreement: next }] })
    return toAgreementView(next, now)
  }

  /** A local party proposes an amended version; the one in force stays so until all accept. */
  async amend (ref: string[], scope: string, body: unknown): Promise<AgreementView> {
    const input = this.schemas.validate('api/agreement-amend.schema.json', body)
    const record = await this.require(ref)
    const party = await this.actingParty(record, scope, input.coop)
    const base = currentVersion(record).object
    const services = input.services ? await this.openings(input.services, record.parties, party.id) : openingsOf(base)
    const endTime = input.endTime === null ? undefined : input.endTime ?? base.endTime
    const now = new Date().toISOString()
    const doc = this.checked(buildAgreementVersion({
      id: this.apex.utils.objectIdToIRI(), author: party.id, parties: record.parties, name: input.name ?? base.name, terms: input.terms ?? base.content,
      services, startTime: input.startTime ?? base.startTime, endTime, status: 'proposed', context: record.id, supersedes: latestVersion(record).id,
      authorFollowers: first<string>(party.followers) ?? null, now
    }), party.id)
    return await this.publishVersion(record, party, doc, amend)
  }

  /** A local party terminates the agreement, effective at `effectiveTime` (default: now). */
  async terminate (ref: string[], scope: string, body: unknown): Promise<AgreementView> {
    const input = this.schemas.validate('api/agreement-decision.schema.json', body ?? {})
    const record = await this.require(ref)
    const party = await this.actingParty(record, scope, input.coop)
    const now = new Date().toISOString()
    const effective = input.effectiveTime ?? now
    if (Date.parse(effective) < Date.parse(now) - 60_000) throw new ValidationError('A termination cannot take effect in the past', { effectiveTime: 'is in the past' })
    const base = currentVersion(record).object
    const doc: MemberExchangeAgreement = {
      ...buildAgreementVersion({
        id: this.apex.utils.objectIdToIRI(), author: party.id, parties: record.parties, name: base.name, terms: base.content,
        services: openingsOf(base), startTime: base.startTime, endTime: effective, status: 'terminated', context: record.id,
        supersedes: latestVersion(record).id, authorFollowers: first<string>(party.followers) ?? null, now
      })
    }
    if (input.reason) doc.summary = input.reason
    return await this.publishVersion(record, party, doc, terminate)
  }

  /** An agreement by its id, any version's id, or the activity that proposed a version; or 404. */
  async require (ref: string[]): Promise<AgreementRecord> {
    for (const iri of ref) {
      const found = await this.store.agreements.getAgreement(iri) ?? await this.store.agreements.findByVersionOrActivity(iri)
      if (found) return found
    }
    throw new NotFoundError(`This hub knows no agreement ${ref[ref.length - 1]}`)
  }

  /** Agreements this hub knows; `coop` (a local username) keeps those it is a party to. */
  async list (coop?: string): Promise<AgreementView[]> {
    const party = coop === undefined ? undefined : (await this.coops.require(coop)).actorId
    const now = new Date().toISOString()
    return (await this.store.agreements.listAgreements({ party })).map(r => toAgreementView(r, now))
  }

  /** The API view of an agreement now. */
  view (record: AgreementRecord): AgreementView {
    return toAgreementView(record, new Date().toISOString())
  }

  /**
   * Stores `expired` on every agreement this hub holds that is past its end (each party's hub
   * does so for its own copy). When the version that ended was written by a co-op of this hub,
   * that co-op tells the other parties and its followers with an Update of the version saying
   * `expired`. Answers how many expired of the agreements still proposed or active.
   */
  async expireDue (now: string): Promise<{ expired: number, checked: number }> {
    const open = (await this.store.agreements.listAgreements()).filter(r => r.status === 'proposed' || r.status === 'active')
    let expired = 0
    for (const record of open) {
      if (!expiryDue(record, now)) continue
      const { record: next, version } = expire(record, now)
      const author = version ? await this.publisher.localActor(version.author) : null
      if (author && version) await this.announceExpiry(author, version, next, now)
      else await this.store.agreements.saveAgreement(next)
      expired++
    }
    return { expired, checked: open.length }
  }

  /** Stores the expired agreement with the author's Update saying so. */
  private async announceExpiry (author: ApexNode, version: AgreementVersion, expired: AgreementRecord, now: string): Promise<void> {
    const doc: MemberExchangeAgreement = { ...version.object, agreementStatus: 'expired', updated: now }
    const activity = await this.buildActivity(author, 'Update', doc)
    await this.publisher.post(author, activity, { documents: [doc as unknown as Record<string, unknown>], records: [{ kind: 'agreement-save', agreement: expired }] })
  }

  private async publishVersion (
    record: AgreementRecord, party: ApexNode, doc: MemberExchangeAgreement,
    apply: (r: AgreementRecord, d: MemberExchangeAgreement, activityId: string, now: string) => AgreementRecord
  ): Promise<AgreementView> {
    const now = new Date().toISOString()
    const activity = await this.buildActivity(party, 'Update', doc)
    const next = ruled(() => apply(record, doc, activity.id, now))
    await this.publisher.post(party, activity, { documents: [doc as unknown as Record<string, unknown>], records: [{ kind: 'agreement-save', agreement: next }] })
    return toAgreementView(next, now)
  }

  private async buildActivity (actor: ApexNode, type: 'Offer' | 'Update', doc: MemberExchangeAgreement): Promise<ApexNode> {
    return await this.apex.buildActivity(type, actor.id, doc.parties.filter(p => p !== actor.id), { object: doc, cc: agreementAudience(actor) }) as ApexNode
  }

  /** The local party that acts: the token's co-op, or for the admin the one named (or the only one). */
  private async actingParty (record: AgreementRecord, scope: string, coop?: string): Promise<ApexNode> {
    const local = (await Promise.all(record.parties.map(p => this.store.getCoopByActorId(p)))).filter(c => c !== null)
    let chosen
    if (scope !== ADMIN_SCOPE) {
      chosen = local.find(c => c.actorId === scope)
      if (!chosen) throw new ForbiddenError('This token does not act for any party to this agreement')
      if (coop !== undefined && coop !== chosen.username) throw new ForbiddenError(`This token does not act for co-op "${coop}"`)
    } else if (coop !== undefined) {
      chosen = local.find(c => c.username === coop)
      if (!chosen) throw new ForbiddenError(`Co-op "${coop}" is not a party to this agreement on this hub`)
    } else {
      if (local.length === 0) throw new ForbiddenError('No party to this agreement is a co-op of this hub')
      if (local.length > 1) throw new ValidationError('Several parties are co-ops of this hub: name the one that acts in "coop"', { coop: 'is required here' })
      chosen = local[0]
    }
    return await this.coops.requireActor(chosen.username)
  }

  private async openings (items: Array<{ party?: string, service: string, quota?: number }>, parties: string[], self: string): Promise<ServiceOpening[]> {
    const out: ServiceOpening[] = []
    for (const [i, item] of items.entries()) {
      const party = item.party === undefined ? self : await this.resolveActor(item.party, `services.${i}.party`)
      if (!parties.includes(party)) throw new ValidationError(`services.${i}.party ${party} is not a party to the agreement`, { [`services.${i}.party`]: 'is not a party' })
      if (new URL(item.service).origin !== new URL(party).origin) {
        throw new ValidationError(`services.${i}.service must be a HostedService on its party's hub (${new URL(party).origin})`, { [`services.${i}.service`]: 'is not on the party\'s hub' })
      }
      const opening: ServiceOpening = { party, service: item.service }
      if (item.quota !== undefined) opening.quota = item.quota
      out.push(opening)
    }
    return out
  }

  private async resolveActor (ref: string, field: string): Promise<string> {
    if (isHandle(ref)) return await lookupHandle(this.client, ref)
    try {
      const url = new URL(ref)
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href
    } catch { /* falls through */ }
    throw new ValidationError(`"${ref}" is neither user@host nor an http(s) actor URL`, { [field]: 'must be user@host or an actor URL' })
  }

  private checked (doc: MemberExchangeAgreement, author: string): MemberExchangeAgreement {
    const problem = versionProblem(doc, author)
    if (problem) throw new ValidationError(`The agreement is not valid: ${problem}`)
    return doc
  }
}

function others (record: AgreementRecord, self: string): string[] {
  return record.parties.filter(p => p !== self)
}

function ruled<T> (work: () => T): T {
  try {
    return work()
  } catch (err) {
    if (err instanceof AgreementRuleError) throw new ConflictError(`This cannot be done: ${err.message}`)
    throw err
  }
}
