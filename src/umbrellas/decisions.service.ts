/**
 * An umbrella's decisions: opening one (a Question members and followers see as a poll),
 * members' votes (one each, replaceable until close), live tallies, closing at `closesAt` with
 * the rule and quorum, and applying the action of a passed decision.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-errors'
import { compareMoney, formatMoney, toMoney } from '../domain/money'
import { closeWith, DecisionAction, DecisionRecord, DecisionRuleError, newDecision, refusalMessage, Tally, tallyVotes, VoteRefusal, voteRefusal } from '../domain/umbrella/decision'
import { decisionQuestion, voteNote } from '../domain/umbrella/decision-question'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { HubStore } from '../store/store.port'
import type { ProjectsService } from './projects.service'
import { defaultFollowersOf, MembershipActions, PublishActivity, umbrellaAudience, UmbrellaMembership } from './umbrella-work.deps'

/** A decision as the API shows it. */
export interface DecisionView {
  id: string
  umbrella: string
  question: string
  options: string[]
  rule: DecisionRecord['rule']
  quorum: string
  closesAt: string
  closedAt: string | null
  status: DecisionRecord['status']
  action: DecisionAction | null
  actionResult: string | null
  tally: Record<string, number>
  voters: number
  /** Members now (the umbrella's hub only; null on a copy). */
  members: number | null
}

/** What the decisions service is built from. */
export interface DecisionsDeps {
  store: Pick<HubStore, 'umbrellaWork' | 'umbrellaNotes' | 'pools'>
  membership: UmbrellaMembership
  membershipActions: MembershipActions
  projects: ProjectsService
  publish: PublishActivity
  schemas: SchemaValidator
  /** A new local id (the last segment of an IRI). */
  newId: () => string
  /** A new IRI for an object of a local actor (a vote). */
  newObjectId: () => string
  now?: () => string
  followersOf?: (actorId: string) => string
}

/** Decisions of umbrellas: the umbrella's side and the member co-op's side. */
export class DecisionsService {
  private readonly now: () => string
  private readonly followersOf: (actorId: string) => string

  constructor (private readonly deps: DecisionsDeps) {
    this.now = deps.now ?? (() => new Date().toISOString())
    this.followersOf = deps.followersOf ?? defaultFollowersOf
  }

  /** Opens a decision of `umbrellaId` and federates Create of its Question. */
  async open (umbrellaId: string, body: unknown): Promise<DecisionView> {
    const input = this.deps.schemas.validate('api/decision-create.schema.json', body)
    const now = this.now()
    const decision = ruled(() => newDecision({ ...input, id: `${umbrellaId}/decisions/${this.deps.newId()}`, umbrellaId }, now))
    if (decision.action) await this.checkAction(umbrellaId, decision.action)
    await this.deps.store.umbrellaWork.saveDecision(decision)
    await this.publishQuestion(decision, 'Create')
    return await this.view(decision.id)
  }

  /** A local co-op votes: checks what this hub knows of the decision, then sends the vote Note to the umbrella. */
  async vote (coopId: string, body: unknown): Promise<{ id: string, decision: string, choice: string }> {
    const input = this.deps.schemas.validate('api/vote-create.schema.json', body)
    const decision = await this.deps.store.umbrellaWork.getDecision(input.decision)
    if (!decision) throw new NotFoundError(`This hub does not know the decision ${input.decision}; it learns an umbrella's decisions once the co-op is a member`)
    const refusal = voteRefusal(decision, { isMember: await this.deps.membership.isMember(decision.umbrellaId, coopId), choice: input.choice, at: this.now() })
    if (refusal === 'closed') throw new ConflictError(refusalMessage(refusal, decision))
    if (refusal) throw new ValidationError(refusalMessage(refusal, decision), refusal === 'unknown-option' ? { choice: `must be one of: ${decision.options.join(', ')}` } : { decision: 'belongs to an umbrella this co-op is not a member of' })
    const note = voteNote({ id: this.deps.newObjectId(), voterId: coopId, decisionId: decision.id, umbrellaId: decision.umbrellaId, choice: input.choice, published: this.now() })
    await this.deps.publish({ type: 'Create', actor: coopId, object: note, to: [decision.umbrellaId], cc: [] })
    await this.deps.store.umbrellaNotes.saveSentVote({ noteId: note.id as string, decisionId: decision.id, voterId: coopId, choice: input.choice, sentAt: this.now(), refusedReason: null })
    // When the umbrella lives on this hub the vote is counted here at once.
    if (decision.local) await this.count(decision, coopId, note.id as string, input.choice)
    return { id: note.id as string, decision: decision.id, choice: input.choice }
  }

  /**
   * The umbrella's side of a received vote Note (inside `createId`): counted, and the Question's
   * tally federated; or answered with a Reject saying why it is not counted.
   */
  async receiveVote (voterId: string, createId: string, note: Record<string, unknown>): Promise<{ counted: boolean, reason?: VoteRefusal | 'unknown-decision' }> {
    const doc = this.deps.schemas.validate('objects/vote.schema.json', note, 'vote')
    const decision = await this.deps.store.umbrellaWork.getDecision(doc.inReplyTo)
    if (!decision?.local || doc.attributedTo !== voterId) return { counted: false, reason: 'unknown-decision' }
    const refusal = voteRefusal(decision, { isMember: await this.deps.membership.isMember(decision.umbrellaId, voterId), choice: doc.name, at: this.now() })
    if (refusal) {
      await this.reject(decision, voterId, createId, refusal)
      return { counted: false, reason: refusal }
    }
    const counted = await this.count(decision, voterId, doc.id, doc.name)
    if (!counted) await this.reject(decision, voterId, createId, 'closed')
    return counted ? { counted } : { counted, reason: 'closed' }
  }

  /**
   * Opens the decision a `vote` umbrella takes on a Join: admit `memberId` (agree) or not, by
   * majority with a quorum of half the members, closing `votingSeconds` from now.
   */
  async openAdmission (umbrellaId: string, memberId: string, votingSeconds: number): Promise<DecisionView> {
    const closesAt = new Date(Date.parse(this.now()) + votingSeconds * 1000).toISOString()
    return await this.open(umbrellaId, { question: `Admit ${memberId} as a member?`, closesAt, rule: 'majority', quorum: 0.5, action: { type: 'ioo:AdmitMember', object: memberId } })
  }

  /** The voter's side of a Reject of its vote: recorded with the umbrella's reason. */
  async voteRefused (umbrellaId: string, voterId: string, noteId: string, reason: string): Promise<boolean> {
    const sent = (await this.deps.store.umbrellaNotes.listSentVotes(voterId)).find(v => v.noteId === noteId)
    const decision = sent ? await this.deps.store.umbrellaWork.getDecision(sent.decisionId) : null
    // Only the umbrella the vote went to answers for it.
    if (!sent || (decision !== null && decision.umbrellaId !== umbrellaId)) return false
    return await this.deps.store.umbrellaNotes.refuseSentVote(noteId, voterId, reason)
  }

  /** The votes a local co-op sent, newest first, with the umbrella's refusal when there was one. */
  async sentVotes (coopId: string): Promise<Array<{ id: string, decision: string, choice: string, sentAt: string, refused: string | null }>> {
    return (await this.deps.store.umbrellaNotes.listSentVotes(coopId)).map(v => ({ id: v.noteId, decision: v.decisionId, choice: v.choice, sentAt: v.sentAt, refused: v.refusedReason }))
  }

  /** The decisions of an umbrella this hub hosts or keeps copies of, newest first. */
  async list (umbrellaId: string): Promise<DecisionView[]> {
    const views: DecisionView[] = []
    for (const d of await this.deps.store.umbrellaWork.listDecisions(umbrellaId)) views.push(await this.view(d.id))
    return views
  }

  /** The Question of a decision of a local umbrella, as federated (public), or null. */
  async question (decisionId: string): Promise<Record<string, unknown> | null> {
    const decision = await this.deps.store.umbrellaWork.getDecision(decisionId)
    if (!decision?.local) return null
    const audience = await umbrellaAudience(this.deps.membership, decision.umbrellaId, this.followersOf)
    return decisionQuestion(decision, await this.deps.store.umbrellaWork.getTally(decisionId), audience)
  }

  /** Keeps a copy of a remote umbrella's Question (on member hubs): its options, status and tally. */
  async receiveQuestion (senderId: string, object: Record<string, unknown>): Promise<DecisionRecord> {
    const doc = this.deps.schemas.validate('objects/decision.schema.json', object, 'decision')
    if (doc.attributedTo !== senderId) throw new ValidationError('The decision is not attributed to the umbrella that sent it')
    const existing = await this.deps.store.umbrellaWork.getDecision(doc.id)
    const decision: DecisionRecord = {
      id: doc.id,
      umbrellaId: senderId,
      question: doc.name,
      options: doc.oneOf.map(o => o.name),
      closesAt: doc.endTime,
      rule: doc.rule,
      quorum: doc.quorum,
      action: doc.decisionAction ?? null,
      status: doc.decisionStatus,
      actionResult: existing?.actionResult ?? null,
      local: false,
      createdAt: existing?.createdAt ?? doc.published ?? this.now(),
      closedAt: doc.closed ?? null
    }
    await this.deps.store.umbrellaWork.saveDecision(decision)
    await this.deps.store.umbrellaWork.replaceTally(decision.id, { counts: Object.fromEntries(doc.oneOf.map(o => [o.name, o.replies.totalItems])), votersCount: doc.votersCount })
    return decision
  }

  /** The decision with its live tally. */
  async view (decisionId: string): Promise<DecisionView> {
    const decision = await this.deps.store.umbrellaWork.getDecision(decisionId)
    if (!decision) throw new NotFoundError(`There is no decision ${decisionId} on this hub`)
    const tally = await this.deps.store.umbrellaWork.getTally(decisionId)
    return {
      id: decision.id,
      umbrella: decision.umbrellaId,
      question: decision.question,
      options: decision.options,
      rule: decision.rule,
      quorum: decision.quorum,
      closesAt: decision.closesAt,
      closedAt: decision.closedAt,
      status: decision.status,
      action: decision.action,
      actionResult: decision.actionResult,
      tally: tally.counts,
      voters: tally.votersCount,
      members: decision.local ? (await this.deps.membership.listMembers(decision.umbrellaId)).length : null
    }
  }

  /**
   * Closes the umbrella's decisions whose `closesAt` has passed: the outcome from the votes of
   * those still members, an Update of the Question, then the action of a passed one.
   */
  async closeDue (now: string): Promise<{ expired: number, checked: number }> {
    const due = await this.deps.store.umbrellaWork.listDueDecisions(now)
    let closed = 0
    for (const decision of due) {
      const members = await this.deps.membership.listMembers(decision.umbrellaId)
      const memberIds = new Set(members.map(m => m.actorId))
      // A co-op that left before the close no longer counts, neither as voter nor as member.
      const votes = (await this.deps.store.umbrellaWork.listVotes(decision.id)).filter(v => memberIds.has(v.voterId))
      const tally = tallyVotes(decision.options, votes)
      const result = closeWith(decision, tally, members.length)
      if (!await this.deps.store.umbrellaWork.closeDecision(decision.id, result.status, tally, now)) continue
      closed++
      const closedDecision: DecisionRecord = { ...decision, status: result.status, closedAt: now }
      await this.publishQuestion(closedDecision, 'Update', tally)
      await this.applyAction(closedDecision)
    }
    return { expired: closed, checked: due.length }
  }

  private async count (decision: DecisionRecord, voterId: string, noteId: string, choice: string): Promise<boolean> {
    const cast = await this.deps.store.umbrellaWork.castVote({ decisionId: decision.id, voterId, choice, noteId, castAt: this.now() })
    if (!cast.counted) return false
    await this.publishQuestion(decision, 'Update', cast.tally)
    return true
  }

  private async reject (decision: DecisionRecord, voterId: string, createId: string, refusal: VoteRefusal): Promise<void> {
    await this.deps.publish({ type: 'Reject', actor: decision.umbrellaId, object: createId, to: [voterId], cc: [], summary: refusalMessage(refusal, decision) })
  }

  private async publishQuestion (decision: DecisionRecord, type: 'Create' | 'Update', tally?: Tally): Promise<void> {
    const current = tally ?? await this.deps.store.umbrellaWork.getTally(decision.id)
    const audience = await umbrellaAudience(this.deps.membership, decision.umbrellaId, this.followersOf)
    await this.deps.publish({ type, actor: decision.umbrellaId, object: decisionQuestion(decision, current, audience), ...audience })
  }

  /** Runs a passed decision's action and records what it did ("none" when there was nothing to do). */
  private async applyAction (decision: DecisionRecord): Promise<void> {
    const repo = this.deps.store.umbrellaWork
    const action = decision.action
    if (!action || decision.status !== 'passed') {
      // An admission that did not pass refuses the Join it was opened for.
      if (action?.type === 'ioo:AdmitMember') await this.refuseAdmission(decision, action.object)
      return await repo.setActionResult(decision.id, 'none')
    }
    try {
      switch (action.type) {
        case 'ioo:AdmitMember':
          await this.deps.membershipActions.admitMember(decision.umbrellaId, action.object, decision.id)
          return await repo.setActionResult(decision.id, 'applied')
        case 'ioo:RemoveMember':
          await this.deps.membershipActions.removeMember(decision.umbrellaId, action.object, decision.id)
          return await repo.setActionResult(decision.id, 'applied')
        case 'ioo:ApproveProject':
          if (!await repo.approveProject(action.object, this.now())) return await repo.setActionResult(decision.id, `not applied: the project ${action.object} no longer exists`)
          await repo.setActionResult(decision.id, 'applied')
          return await this.deps.projects.republish(action.object)
        case 'ioo:AllocateFunds':
          return await this.allocate(decision, action)
      }
    } catch (err) {
      await repo.setActionResult(decision.id, `not applied: ${(err as Error).message}`)
    }
  }

  private async refuseAdmission (decision: DecisionRecord, memberId: string): Promise<void> {
    try {
      await this.deps.membershipActions.refuseMember(decision.umbrellaId, memberId, decision.id, `The members did not admit this co-op (decision ${decision.status})`)
    } catch (err) {
      // No pending Join (an admission proposed without one, or answered by the admin meanwhile): nothing to refuse.
      if (!(err instanceof NotFoundError || err instanceof ConflictError)) throw err
    }
  }

  /** Allocates money the pool received and has not yet allocated; refuses more than that. */
  private async allocate (decision: DecisionRecord, action: Extract<DecisionAction, { type: 'ioo:AllocateFunds' }>): Promise<void> {
    const repo = this.deps.store.umbrellaWork
    const amount = toMoney(action.amount)
    const pool = await this.deps.store.pools.getPool(action.pool)
    if (!pool || pool.stewardId !== decision.umbrellaId) return await repo.setActionResult(decision.id, `not applied: the umbrella no longer stewards the pool ${action.pool}`)
    const received = pool.object.received.find(r => r.currency === amount.currency)
    const allocated = (await repo.listAllocations({ poolId: pool.id })).filter(a => a.amount.currency === amount.currency)
    const free = { currency: amount.currency, minor: (received ? toMoney(received, { allowZero: true }).minor : 0n) - allocated.reduce((sum, a) => sum + toMoney(a.amount).minor, 0n) }
    if (compareMoney(amount, free) > 0) {
      return await repo.setActionResult(decision.id, `not applied: the pool has ${formatMoney(free).value} ${amount.currency} received and not yet allocated`)
    }
    await repo.saveAllocation({ decisionId: decision.id, poolId: pool.id, projectId: action.project, amount: formatMoney(amount), allocatedAt: this.now() })
    await this.deps.projects.republish(action.project)
  }

  /** An action must name something this umbrella can act on. */
  private async checkAction (umbrellaId: string, action: DecisionAction): Promise<void> {
    if (action.type === 'ioo:ApproveProject' || action.type === 'ioo:AllocateFunds') {
      const projectId = action.type === 'ioo:ApproveProject' ? action.object : action.project
      const project = await this.deps.store.umbrellaWork.getProject(projectId)
      if (!project?.local || project.umbrellaId !== umbrellaId) throw new ValidationError('The action names a project this umbrella does not have', { action: 'names an unknown project' })
    }
    if (action.type === 'ioo:AllocateFunds') {
      const pool = await this.deps.store.pools.getPool(action.pool)
      if (!pool || pool.stewardId !== umbrellaId) throw new ValidationError('The action names a pool this umbrella does not steward', { 'action.pool': 'is not a pool this umbrella stewards' })
      try {
        toMoney(action.amount)
      } catch (err) {
        throw new ValidationError(`The amount to allocate is not valid: ${(err as Error).message}`, { 'action.amount': (err as Error).message })
      }
    }
    if (action.type === 'ioo:AdmitMember' || action.type === 'ioo:RemoveMember') {
      const admitting = action.type === 'ioo:AdmitMember'
      if (admitting === await this.deps.membership.isMember(umbrellaId, action.object)) {
        throw new ValidationError(admitting ? 'The co-op to admit is already a member' : 'The co-op to remove is not a member', { action: 'does not change membership' })
      }
    }
  }
}

function ruled<T> (work: () => T): T {
  try {
    return work()
  } catch (err) {
    if (err instanceof DecisionRuleError) throw new ValidationError(`The decision is not valid: ${err.field} ${err.message}`, { [err.field]: err.message })
    if (err instanceof Error && err.message.startsWith('quorum ')) throw new ValidationError(`The decision is not valid: ${err.message}`, { quorum: err.message.slice(7) })
    throw err
  }
}
