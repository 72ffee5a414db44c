/**
 * Storage of an umbrella's work: shared projects with their milestones, members' commitments,
 * decisions, the current vote of each member and the live tally, and money allocated by
 * decisions. Kept for the umbrella's own records and for copies of remote umbrellas' ones.
 */
import type { DecisionOutcome, DecisionRecord, Tally, VoteRecord } from '../../domain/umbrella/decision'
import type { CommitmentRecord, ProjectRecord } from '../../domain/umbrella/project'
import type { MonetaryAmount } from '../../domain/money'

export type { CommitmentRecord, DecisionRecord, ProjectRecord, Tally, VoteRecord }

/** Which commitments to list. */
export interface CommitmentFilter {
  projectId?: string
  memberId?: string
}

/** Money a passed decision allocated from a pool to a project. */
export interface AllocationRecord {
  decisionId: string
  poolId: string
  projectId: string
  amount: MonetaryAmount
  allocatedAt: string
}

/** What casting a vote did. */
export type CastVoteResult =
  | { counted: true, previous: VoteRecord | null, tally: Tally }
  | { counted: false, reason: 'unknown-decision' | 'closed' }

/** Projects, commitments, decisions, votes and tallies; every method answers a Promise. */
export interface UmbrellaWorkRepository {
  /** Inserts or replaces a project and its milestones, together. */
  saveProject(project: ProjectRecord): Promise<void>
  getProject(id: string): Promise<ProjectRecord | null>
  /** Oldest first. */
  listProjects(umbrellaId: string): Promise<ProjectRecord[]>
  /** Marks a project approved; answers false when there is no such project. */
  approveProject(id: string, at: string): Promise<boolean>

  /** Inserts a commitment; answers false (and changes nothing) when its id is already known. */
  saveCommitment(commitment: CommitmentRecord): Promise<boolean>
  /** Oldest first. */
  listCommitments(filter: CommitmentFilter): Promise<CommitmentRecord[]>

  /** Inserts or replaces a decision; a new one starts with an empty tally over its options. */
  saveDecision(decision: DecisionRecord): Promise<void>
  getDecision(id: string): Promise<DecisionRecord | null>
  /** Newest first. */
  listDecisions(umbrellaId: string): Promise<DecisionRecord[]>
  /** The umbrella's own open decisions whose `closesAt` is at or before `now`, oldest due first. */
  listDueDecisions(now: string): Promise<DecisionRecord[]>
  /**
   * Records a member's vote, replacing its earlier one, and updates the tally in the same
   * transaction; refused when the decision is unknown or no longer open.
   */
  castVote(vote: VoteRecord): Promise<CastVoteResult>
  /** Current votes, oldest first. */
  listVotes(decisionId: string): Promise<VoteRecord[]>
  /** The live tally (every option, zero included). */
  getTally(decisionId: string): Promise<Tally>
  /** Replaces the tally of a copy of a remote decision with the one its umbrella published. */
  replaceTally(decisionId: string, tally: Tally): Promise<void>
  /**
   * Closes an open decision with its outcome and final tally; answers false when it was no
   * longer open (another process closed it first).
   */
  closeDecision(id: string, outcome: DecisionOutcome, tally: Tally, closedAt: string): Promise<boolean>
  /** Records what applying the closed decision's action did. */
  setActionResult(id: string, result: string): Promise<void>

  /** Records an allocation and marks its decision's action applied, together. */
  saveAllocation(allocation: AllocationRecord): Promise<void>
  listAllocations(filter: { poolId?: string, projectId?: string }): Promise<AllocationRecord[]>
}
