/**
 * Member-exchange agreements: co-ops agree that each other's members may use named services.
 * An agreement is a chain of versions; each version is proposed by a party and is in force only
 * when every party accepted it. Pure: the state machine and the federated objects, no storage.
 */
import type { MemberExchangeAgreement } from '../schemas/generated/member-exchange-agreement'
import { AS_PUBLIC } from './activity-streams/nodes'

export type { MemberExchangeAgreement }

/** The agreement's types: a ValueFlows agreement that is the hub's MemberExchangeAgreement. */
export const AGREEMENT_TYPE = ['vf:Agreement', 'ioo:MemberExchangeAgreement']

export type AgreementStatus = MemberExchangeAgreement['agreementStatus']
export type Decision = 'accepted' | 'rejected'
type Commitment = NonNullable<MemberExchangeAgreement['stipulates']>[number]

/** One version: the first proposal, an amendment, or a termination notice. */
export interface AgreementVersion {
  id: string
  author: string
  /** The Offer or Update that proposed it: what Accept and Reject refer to. */
  activityId: string
  kind: 'proposal' | 'termination'
  state: 'proposed' | 'accepted' | 'rejected' | 'superseded'
  decisions: Record<string, Decision>
  object: MemberExchangeAgreement
  createdAt: string
}

/** An agreement as every party's hub records it. Its id is its first version's id. */
export interface AgreementRecord {
  id: string
  parties: string[]
  /**
   * Stored status. A termination's effect is derived from the clock by `effectiveStatus`; so is
   * `expired` until the expiry job (or the author's expiry notice) stores it.
   */
  status: 'proposed' | 'active' | 'rejected' | 'expired'
  activeVersionId: string | null
  pendingVersionId: string | null
  termination: { by: string, effectiveTime: string, versionId: string } | null
  versions: AgreementVersion[]
  updatedAt: string
}

/** A transition the agreement does not allow, or a version that breaks the rules; says why. */
export class AgreementRuleError extends Error {}

/** One service a party opens to the others' members. */
export interface ServiceOpening {
  party: string
  service: string
  quota?: number
}

/** What a new version says; its identity and audience are the caller's. */
export interface VersionInput {
  id: string
  author: string
  parties: string[]
  name: string
  terms: string
  services: ServiceOpening[]
  startTime: string
  endTime?: string
  status: 'proposed' | 'terminated'
  /** The agreement (first version) for every later version. */
  context?: string
  supersedes?: string
  authorFollowers: string | null
  now: string
}

/**
 * Builds a version's federated object. Each opening becomes one `vf:Commitment` per receiving
 * party; the author's own commitments go in `stipulatesReciprocal`, the others' in `stipulates`.
 */
export function buildAgreementVersion (input: VersionInput): MemberExchangeAgreement {
  const stipulates: Commitment[] = []
  const reciprocal: Commitment[] = []
  let n = 0
  for (const opening of input.services) {
    for (const receiver of input.parties.filter(p => p !== opening.party)) {
      const commitment: Commitment = {
        id: `${input.id}#c${++n}`,
        type: 'vf:Commitment',
        action: 'deliverService',
        provider: opening.party,
        receiver,
        resourceConformsTo: opening.service,
        hasBeginning: input.startTime
      }
      if (opening.quota !== undefined) commitment.resourceQuantity = { hasUnit: 'one', hasNumericalValue: String(opening.quota) }
      if (input.endTime) commitment.hasEnd = input.endTime
      ;(opening.party === input.author ? reciprocal : stipulates).push(commitment)
    }
  }
  const doc: MemberExchangeAgreement = {
    id: input.id,
    type: [...AGREEMENT_TYPE],
    attributedTo: input.author,
    name: input.name,
    content: input.terms,
    parties: [...input.parties],
    stipulates,
    stipulatesReciprocal: reciprocal,
    startTime: input.startTime,
    agreementStatus: input.status,
    published: input.now,
    updated: input.now,
    to: input.parties.filter(p => p !== input.author),
    cc: [AS_PUBLIC, ...(input.authorFollowers ? [input.authorFollowers] : [])]
  }
  if (input.endTime) doc.endTime = input.endTime
  if (input.context) doc.context = input.context
  if (input.supersedes) doc.supersedes = input.supersedes
  return doc
}

/** The services a version opens, one entry per (party, service), with its quota. */
export function openingsOf (doc: MemberExchangeAgreement): ServiceOpening[] {
  const seen = new Map<string, ServiceOpening>()
  for (const c of [...(doc.stipulatesReciprocal ?? []), ...(doc.stipulates ?? [])]) {
    const key = `${c.provider} ${c.resourceConformsTo}`
    if (seen.has(key)) continue
    const opening: ServiceOpening = { party: c.provider, service: c.resourceConformsTo }
    if (c.resourceQuantity) opening.quota = Number(c.resourceQuantity.hasNumericalValue)
    seen.set(key, opening)
  }
  return [...seen.values()]
}

/**
 * Why a version (received or about to be sent) breaks the rules, or null: its author is a party,
 * there are at least two parties, every commitment is between two different parties, at least
 * one service is opened, and it ends after it starts.
 */
export function versionProblem (doc: MemberExchangeAgreement, sender: string): string | null {
  if (doc.attributedTo !== sender) return `it is attributed to ${doc.attributedTo}, not to its sender ${sender}`
  if (!doc.parties.includes(sender)) return `its sender ${sender} is not one of its parties`
  const commitments = [...(doc.stipulates ?? []), ...(doc.stipulatesReciprocal ?? [])]
  if (commitments.length === 0) return 'it opens no service: at least one party must open one'
  for (const c of commitments) {
    if (!doc.parties.includes(c.provider)) return `a commitment's provider ${c.provider} is not a party`
    if (!doc.parties.includes(c.receiver)) return `a commitment's receiver ${c.receiver} is not a party`
    if (c.provider === c.receiver) return `a commitment has ${c.provider} serve its own members`
  }
  if (doc.endTime && Date.parse(doc.endTime) <= Date.parse(doc.startTime)) return 'it ends before it starts'
  return null
}

/** A new agreement from its first version; the author has accepted its own proposal. */
export function proposeAgreement (doc: MemberExchangeAgreement, activityId: string, now: string): AgreementRecord {
  if (doc.agreementStatus !== 'proposed') throw new AgreementRuleError(`a new agreement must be proposed, not ${doc.agreementStatus}`)
  return {
    id: doc.id,
    parties: [...doc.parties],
    status: 'proposed',
    activeVersionId: null,
    pendingVersionId: doc.id,
    termination: null,
    versions: [newVersion(doc, activityId, 'proposal', now)],
    updatedAt: now
  }
}

/** The version proposed by `activityId` (or with that id), if the agreement has it. */
export function findVersion (record: AgreementRecord, iri: string): AgreementVersion | undefined {
  return record.versions.find(v => v.activityId === iri || v.id === iri)
}

/**
 * A party accepts or rejects the version proposed by `activityOrVersion`. All parties accepting
 * puts it in force (superseding the one before); a rejection drops it, and an agreement that was
 * never in force becomes rejected. A repeated decision changes nothing.
 */
export function decide (record: AgreementRecord, activityOrVersion: string, party: string, decision: Decision, now: string): AgreementRecord {
  if (!record.parties.includes(party)) throw new AgreementRuleError(`${party} is not a party to this agreement`)
  if (effectiveStatus(record, now) === 'expired') throw new AgreementRuleError('the agreement has expired; there is nothing to decide')
  const version = findVersion(record, activityOrVersion)
  if (!version) throw new AgreementRuleError('the agreement has no such version')
  const previous = version.decisions[party]
  if (previous === decision) return record
  if (previous) throw new AgreementRuleError(`${party} already ${previous} this version`)
  if (version.kind !== 'proposal' || version.state !== 'proposed' || record.pendingVersionId !== version.id) {
    throw new AgreementRuleError(`this version is ${version.kind === 'termination' ? 'a termination, which needs no decision' : version.state}; there is nothing to decide`)
  }
  const decided: AgreementVersion = { ...version, decisions: { ...version.decisions, [party]: decision } }
  let next: AgreementRecord = { ...record, updatedAt: now }
  if (decision === 'rejected') {
    decided.state = 'rejected'
    next = { ...next, pendingVersionId: null, status: record.activeVersionId ? 'active' : 'rejected' }
  } else if (record.parties.every(p => decided.decisions[p] === 'accepted')) {
    decided.state = 'accepted'
    next = { ...next, pendingVersionId: null, activeVersionId: decided.id, status: 'active' }
    next.versions = record.versions.map(v => v.id === record.activeVersionId ? { ...v, state: 'superseded' } : v)
  }
  next.versions = (next.versions ?? record.versions).map(v => v.id === decided.id ? decided : v)
  return next
}

/**
 * A party proposes an amended version (it supersedes the latest version). The version in force,
 * if any, stays in force until every party accepted the amendment.
 */
export function amend (record: AgreementRecord, doc: MemberExchangeAgreement, activityId: string, now: string): AgreementRecord {
  if (findVersion(record, doc.id)) return record
  ruleForLaterVersion(record, doc)
  if (doc.agreementStatus !== 'proposed') throw new AgreementRuleError(`an amendment must be proposed, not ${doc.agreementStatus}`)
  if (record.status === 'rejected' || record.termination) throw new AgreementRuleError(`the agreement is ${record.termination ? 'terminated' : 'rejected'} and cannot be amended`)
  if (effectiveStatus(record, now) === 'expired') throw new AgreementRuleError('the agreement has expired and cannot be amended; propose a new one')
  const versions = record.versions.map(v => v.id === record.pendingVersionId ? { ...v, state: 'superseded' as const } : v)
  return { ...record, versions: [...versions, newVersion(doc, activityId, 'proposal', now)], pendingVersionId: doc.id, updatedAt: now }
}

/** A party ends the agreement, effective at the version's `endTime` (or at once). */
export function terminate (record: AgreementRecord, doc: MemberExchangeAgreement, activityId: string, now: string): AgreementRecord {
  if (findVersion(record, doc.id)) return record
  ruleForLaterVersion(record, doc)
  if (doc.agreementStatus !== 'terminated') throw new AgreementRuleError(`a termination must say terminated, not ${doc.agreementStatus}`)
  if (record.status !== 'active' || record.termination) throw new AgreementRuleError(record.termination ? 'the agreement was already terminated' : `only an agreement in force can be terminated; this one is ${record.status}`)
  const versions = record.versions.map(v => v.id === record.pendingVersionId ? { ...v, state: 'superseded' as const } : v)
  const version = newVersion(doc, activityId, 'termination', now)
  version.state = 'accepted'
  return {
    ...record,
    versions: [...versions, version],
    pendingVersionId: null,
    termination: { by: doc.attributedTo, effectiveTime: doc.endTime ?? now, versionId: doc.id },
    updatedAt: now
  }
}

/** The status as of `now`: a termination takes effect at its time, and past its end an agreement has expired. */
export function effectiveStatus (record: AgreementRecord, now: string): AgreementStatus {
  const t = Date.parse(now)
  if (record.termination && Date.parse(record.termination.effectiveTime) <= t) return 'terminated'
  if (record.status === 'expired') return 'expired'
  const end = deciding(record)?.object.endTime
  if (record.status !== 'rejected' && end && Date.parse(end) <= t) return 'expired'
  return record.status
}

/** The version whose `endTime` decides when the agreement expires: the one in force, else the one proposed. */
function deciding (record: AgreementRecord): AgreementVersion | undefined {
  return record.versions.find(v => v.id === (record.activeVersionId ?? record.pendingVersionId))
}

/** True when the clock says the agreement has expired but its stored status does not say so yet. */
export function expiryDue (record: AgreementRecord, now: string): boolean {
  return record.status !== 'expired' && effectiveStatus(record, now) === 'expired'
}

/**
 * The agreement as stored once it has expired: status `expired`, nothing pending any more (an
 * amendment that was not accepted in time lapses with it). Answers the version whose end it
 * reached too: its author's hub tells the other parties.
 */
export function expire (record: AgreementRecord, now: string): { record: AgreementRecord, version: AgreementVersion | undefined } {
  if (!expiryDue(record, now)) throw new AgreementRuleError(`the agreement is ${effectiveStatus(record, now)}, not past its end`)
  const version = deciding(record)
  return { record: { ...record, status: 'expired', pendingVersionId: null, updatedAt: now }, version }
}

/**
 * Why an expiry notice (an Update of a version saying `expired`) cannot be applied, or null: it
 * must come from the author of the version in force (or proposed), carry that version's
 * `endTime` unchanged, and that time must have passed.
 */
export function expiryNoticeProblem (record: AgreementRecord, doc: MemberExchangeAgreement, sender: string, now: string): string | null {
  const version = deciding(record)
  if (!version || version.id !== doc.id) return `${doc.id} is not the version in force of the agreement ${record.id}`
  if (version.author !== sender) return `only ${version.author}, its author, can say that version expired`
  if (doc.endTime !== version.object.endTime) return `its endTime ${doc.endTime ?? 'none'} is not the version's (${version.object.endTime ?? 'none'})`
  if (!doc.endTime || Date.parse(doc.endTime) > Date.parse(now)) return 'the version has not reached its end yet'
  return null
}

/**
 * An agreement as others see it: its version in force (or the one proposed) with the status as
 * of `now` in `agreementStatus` (a version's own document says what it said when proposed).
 */
export function agreementAsPublished (record: AgreementRecord, now: string): MemberExchangeAgreement {
  const version = deciding(record) ?? latestVersion(record)
  return { ...version.object, agreementStatus: effectiveStatus(record, now) }
}

/** The version in force (or, before that, the one proposed). */
export function currentVersion (record: AgreementRecord): AgreementVersion {
  const id = record.activeVersionId ?? record.pendingVersionId ?? record.versions[record.versions.length - 1].id
  return record.versions.find(v => v.id === id) ?? record.versions[record.versions.length - 1]
}

/** The latest version: what an amendment or a termination must supersede. */
export function latestVersion (record: AgreementRecord): AgreementVersion {
  return record.versions[record.versions.length - 1]
}

/** True when a federated object's type list says it is a MemberExchangeAgreement. */
export function isAgreementType (type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type]
  return types.includes('ioo:MemberExchangeAgreement')
}

function ruleForLaterVersion (record: AgreementRecord, doc: MemberExchangeAgreement): void {
  if (doc.context !== record.id) throw new AgreementRuleError(`a later version must name the agreement ${record.id} as its context`)
  const latest = latestVersion(record)
  if (doc.supersedes !== latest.id) throw new AgreementRuleError(`it supersedes ${doc.supersedes ?? 'nothing'}, but the latest version is ${latest.id}`)
  const same = doc.parties.length === record.parties.length && doc.parties.every(p => record.parties.includes(p))
  if (!same) throw new AgreementRuleError('a later version cannot change the parties; propose a new agreement instead')
}

function newVersion (doc: MemberExchangeAgreement, activityId: string, kind: AgreementVersion['kind'], now: string): AgreementVersion {
  return { id: doc.id, author: doc.attributedTo, activityId, kind, state: 'proposed', decisions: { [doc.attributedTo]: 'accepted' }, object: doc, createdAt: now }
}
