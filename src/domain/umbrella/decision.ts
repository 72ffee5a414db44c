/**
 * Decisions an umbrella's member co-ops take together: the options, which votes count, the live
 * tally and the outcome at close. Pure rules: no storage, no HTTP, no federation.
 */
import type { MonetaryAmount } from '../money'
import { meetsQuorum, parseQuorum } from './quorum'

export { formatQuorum, meetsQuorum, parseQuorum, quorumProblem } from './quorum'
export type { Quorum } from './quorum'

/** Loomio's four positions, used when a decision names no options of its own. */
export const DEFAULT_OPTIONS: readonly string[] = ['agree', 'abstain', 'disagree', 'block']

export type DecisionRule = 'majority' | 'consensus'
export type DecisionStatus = 'open' | 'passed' | 'failed' | 'no-quorum'
export type DecisionOutcome = Exclude<DecisionStatus, 'open'>

/** What a decision does when it passes. */
export type DecisionAction =
  | { type: 'ioo:AdmitMember', object: string }
  | { type: 'ioo:RemoveMember', object: string }
  | { type: 'ioo:ApproveProject', object: string }
  | { type: 'ioo:AllocateFunds', pool: string, project: string, amount: MonetaryAmount }

/** A decision as the hub keeps it (the umbrella's own, or a copy of a remote umbrella's). */
export interface DecisionRecord {
  id: string
  umbrellaId: string
  question: string
  options: string[]
  closesAt: string
  rule: DecisionRule
  /** Share of members who must vote, as a decimal string "0" … "1". */
  quorum: string
  action: DecisionAction | null
  status: DecisionStatus
  /** What applying the action did: null until the decision closed, then "applied", "none" or why not. */
  actionResult: string | null
  /** True for the umbrella's own decisions; false for copies of a remote umbrella's. */
  local: boolean
  createdAt: string
  closedAt: string | null
}

/** One member co-op's current vote. */
export interface VoteRecord {
  decisionId: string
  voterId: string
  choice: string
  /** The vote Note's id (Mastodon's vote shape). */
  noteId: string
  castAt: string
}

/** Votes per option and how many members voted. */
export interface Tally {
  counts: Record<string, number>
  votersCount: number
}

/** Why a vote is not counted. */
export type VoteRefusal = 'not-a-member' | 'closed' | 'unknown-option'

/** A decision rule broken by a request: `field` names what to fix. */
export class DecisionRuleError extends Error {
  constructor (readonly field: string, message: string) { super(message) }
}

/** The options of a new decision: the given ones (trimmed, distinct) or the defaults. */
export function decisionOptions (options?: readonly string[]): string[] {
  if (options === undefined || options.length === 0) return [...DEFAULT_OPTIONS]
  const trimmed = options.map(o => o.trim())
  if (trimmed.some(o => o === '')) throw new DecisionRuleError('options', 'an option cannot be empty')
  if (new Set(trimmed).size !== trimmed.length) throw new DecisionRuleError('options', 'each option must be different from the others')
  if (trimmed.length < 2) throw new DecisionRuleError('options', 'a decision needs at least two options')
  return trimmed
}

/** True when `options` are exactly Loomio's four defaults (the ones an action needs). */
export function hasDefaultOptions (options: readonly string[]): boolean {
  return options.length === DEFAULT_OPTIONS.length && DEFAULT_OPTIONS.every(o => options.includes(o))
}

/** Builds a new open decision, checking its rules; throws DecisionRuleError when one is broken. */
export function newDecision (input: {
  id: string, umbrellaId: string, question: string, options?: string[], closesAt: string,
  rule: DecisionRule, quorum?: number | string, action?: DecisionAction | null
}, now: string): DecisionRecord {
  const question = input.question.trim()
  if (question === '') throw new DecisionRuleError('question', 'the question cannot be empty')
  const closes = Date.parse(input.closesAt)
  if (Number.isNaN(closes)) throw new DecisionRuleError('closesAt', 'must be a date-time such as 2026-05-01T12:00:00Z')
  if (closes <= Date.parse(now)) throw new DecisionRuleError('closesAt', 'must be in the future')
  const options = decisionOptions(input.options)
  const action = input.action ?? null
  if (action && !hasDefaultOptions(options)) {
    throw new DecisionRuleError('action', 'a decision with an action must use the default options agree, abstain, disagree and block')
  }
  const quorum = parseQuorum(input.quorum ?? 0)
  return {
    id: input.id,
    umbrellaId: input.umbrellaId,
    question,
    options,
    closesAt: new Date(closes).toISOString(),
    rule: input.rule,
    quorum: quorum.text,
    action,
    status: 'open',
    actionResult: null,
    local: true,
    createdAt: now,
    closedAt: null
  }
}

/** Why a vote is not counted, or null when it is: non-members, votes at or after `closesAt` and unknown options are refused. */
export function voteRefusal (decision: DecisionRecord, vote: { isMember: boolean, choice: string, at: string }): VoteRefusal | null {
  if (!vote.isMember) return 'not-a-member'
  if (decision.status !== 'open' || Date.parse(vote.at) >= Date.parse(decision.closesAt)) return 'closed'
  if (!decision.options.includes(vote.choice)) return 'unknown-option'
  return null
}

/** The words a `Reject` of a refused vote carries. */
export function refusalMessage (refusal: VoteRefusal, decision: DecisionRecord): string {
  switch (refusal) {
    case 'not-a-member': return 'Only member co-ops of this umbrella can vote on its decisions.'
    case 'closed': return `Voting on this decision closed at ${decision.closesAt}.`
    case 'unknown-option': return `The choice is not one of this decision's options: ${decision.options.join(', ')}.`
  }
}

/** An empty tally: every option at zero. */
export function emptyTally (options: readonly string[]): Tally {
  return { counts: Object.fromEntries(options.map(o => [o, 0])), votersCount: 0 }
}

/** Counts votes, at most one per voter (the latest cast wins when a voter appears twice). */
export function tallyVotes (options: readonly string[], votes: readonly Pick<VoteRecord, 'voterId' | 'choice' | 'castAt'>[]): Tally {
  const latest = new Map<string, Pick<VoteRecord, 'choice' | 'castAt'>>()
  for (const v of votes) {
    const seen = latest.get(v.voterId)
    if (!seen || seen.castAt <= v.castAt) latest.set(v.voterId, v)
  }
  const tally = emptyTally(options)
  for (const v of latest.values()) {
    if (!(v.choice in tally.counts)) continue
    tally.counts[v.choice]++
    tally.votersCount++
  }
  return tally
}

/** The tally after one voter's vote for `choice` replaces `previous` (null: the voter's first vote). */
export function applyVote (tally: Tally, previous: string | null, choice: string): Tally {
  const counts = { ...tally.counts }
  if (previous !== null) counts[previous] = (counts[previous] ?? 0) - 1
  counts[choice] = (counts[choice] ?? 0) + 1
  return { counts, votersCount: tally.votersCount + (previous === null ? 1 : 0) }
}

/** The outcome and, for decisions with their own options, the option that won. */
export interface ClosingResult {
  status: DecisionOutcome
  winner: string | null
}

/**
 * The outcome of a decision closing with `tally` among `members` members.
 * Default options: `majority` passes when agree > disagree (abstain and block count toward the
 * quorum only); `consensus` passes when nobody blocks and agree > disagree. Own options:
 * `majority` passes when one option has more than half of the votes; `consensus` when every vote
 * is for one option. Below the quorum the outcome is `no-quorum`, whatever the votes.
 */
export function closeWith (decision: Pick<DecisionRecord, 'options' | 'rule' | 'quorum'>, tally: Tally, members: number): ClosingResult {
  if (!meetsQuorum(tally.votersCount, members, parseQuorum(decision.quorum))) return { status: 'no-quorum', winner: null }
  const count = (o: string): number => tally.counts[o] ?? 0
  if (hasDefaultOptions(decision.options)) {
    const agreed = count('agree') > count('disagree') && (decision.rule === 'majority' || count('block') === 0)
    return { status: agreed ? 'passed' : 'failed', winner: agreed ? 'agree' : null }
  }
  const [leader] = [...decision.options].sort((a, b) => count(b) - count(a))
  const votes = decision.options.reduce((sum, o) => sum + count(o), 0)
  const won = decision.rule === 'majority' ? 2 * count(leader) > votes : votes > 0 && count(leader) === votes
  return { status: won ? 'passed' : 'failed', winner: won ? leader : null }
}
