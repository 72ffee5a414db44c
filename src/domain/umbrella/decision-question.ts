/**
 * A decision as federated: an ActivityStreams `Question` that Mastodon shows as a poll (`oneOf`
 * with each option's `replies.totalItems`, `endTime`, `votersCount`, `closed`), with the hub's
 * own terms beside it; and a vote as Mastodon casts one (a `Note` naming the option, in reply to
 * the Question).
 */
import type { DecisionAction, DecisionRecord, Tally } from './decision'

/** Who a federated object is addressed to. */
export interface Audience {
  to: string[]
  cc: string[]
}

/** The `Question` of a decision with its current tally. */
export function decisionQuestion (decision: DecisionRecord, tally: Tally, audience: Audience): Record<string, unknown> {
  const question: Record<string, unknown> = {
    id: decision.id,
    type: ['Question', 'ioo:Decision'],
    attributedTo: decision.umbrellaId,
    context: decision.umbrellaId,
    name: decision.question,
    content: `<p>${escapeHtml(decision.question)}</p>`,
    oneOf: decision.options.map(option => ({
      type: 'Note',
      name: option,
      replies: { type: 'Collection', totalItems: tally.counts[option] ?? 0 }
    })),
    endTime: decision.closesAt,
    votersCount: tally.votersCount,
    published: decision.createdAt,
    rule: decision.rule,
    quorum: decision.quorum,
    decisionStatus: decision.status,
    to: audience.to,
    cc: audience.cc
  }
  if (decision.closedAt !== null) {
    question.closed = decision.closedAt
    question.updated = decision.closedAt
  }
  if (decision.action) question.decisionAction = actionNode(decision.action)
  return question
}

/** A member co-op's vote: Mastodon's shape for answering a poll. */
export function voteNote (input: { id: string, voterId: string, decisionId: string, umbrellaId: string, choice: string, published: string }): Record<string, unknown> {
  return {
    id: input.id,
    type: 'Note',
    name: input.choice,
    inReplyTo: input.decisionId,
    attributedTo: input.voterId,
    to: [input.umbrellaId],
    published: input.published
  }
}

function actionNode (action: DecisionAction): Record<string, unknown> {
  if (action.type === 'ioo:AllocateFunds') {
    return { type: action.type, pool: action.pool, project: action.project, amount: { type: 'MonetaryAmount', currency: action.amount.currency, value: action.amount.value } }
  }
  return { type: action.type, object: action.object }
}

function escapeHtml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
