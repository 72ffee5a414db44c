/**
 * A shared project as federated: a `Page` (what Mastodon shows) that is also a ValueFlows `Plan`
 * and an `ioo:SharedProject`, with milestones and committed totals; and a member's commitment.
 */
import type { MonetaryAmount } from '../money'
import type { Audience } from './decision-question'
import type { CommittedTotals, ProjectRecord } from './project'

/** The project's `Page`, with the committed totals at the time. */
export function projectPage (project: ProjectRecord, totals: CommittedTotals, audience: Audience, allocated: MonetaryAmount[] = []): Record<string, unknown> {
  const page: Record<string, unknown> = {
    id: project.id,
    type: ['Page', 'vf:Plan', 'ioo:SharedProject'],
    attributedTo: project.umbrellaId,
    context: project.umbrellaId,
    name: project.name,
    summary: project.summary,
    url: project.id,
    milestones: project.milestones.map(m => ({
      type: 'ioo:Milestone',
      name: m.name,
      ...(m.due !== null ? { endTime: m.due } : {}),
      milestoneStatus: m.status
    })),
    fundedBy: project.poolIds,
    committedHours: totals.hours,
    committed: totals.money,
    allocated,
    approved: project.approved,
    commitments: `${project.id}/commitments`,
    published: project.createdAt,
    updated: project.updatedAt,
    to: audience.to,
    cc: audience.cc
  }
  if (project.upstream) page.upstream = { name: project.upstream.name, url: project.upstream.url }
  return page
}

/** A member co-op's commitment of hours and/or money to a project (a `vf:Commitment`). */
export function commitmentObject (input: {
  id: string, memberId: string, umbrellaId: string, projectId: string,
  hours: string | null, amount: MonetaryAmount | null, note: string | null, published: string
}): Record<string, unknown> {
  const object: Record<string, unknown> = {
    id: input.id,
    type: ['vf:Commitment', 'ioo:ProjectCommitment'],
    attributedTo: input.memberId,
    provider: input.memberId,
    receiver: input.umbrellaId,
    context: input.projectId,
    to: [input.umbrellaId],
    published: input.published
  }
  if (input.hours !== null) object.hours = input.hours
  if (input.amount !== null) object.amount = { type: 'MonetaryAmount', currency: input.amount.currency, value: input.amount.value }
  if (input.note !== null) object.content = input.note
  return object
}
