/**
 * An umbrella's shared projects: milestones and how their status may change, and the members'
 * commitments of developer hours and money, totalled exactly (decimal strings and integer minor
 * units, never floats: 100.10 + 0.20 is 100.30).
 */
import { amountProblem, formatMoney, MonetaryAmount, Money, toMoney, totalsByCurrency } from '../money'

export type MilestoneStatus = 'planned' | 'active' | 'done'

/** One step of a project. */
export interface Milestone {
  name: string
  due: string | null
  status: MilestoneStatus
}

/** A shared project as the hub keeps it (the umbrella's own, or a copy of a remote one). */
export interface ProjectRecord {
  /** `/u/<umbrella>/projects/<key>` on the umbrella's hub. */
  id: string
  umbrellaId: string
  key: string
  name: string
  summary: string
  upstream: { name: string, url: string } | null
  milestones: Milestone[]
  /** Funding pools that pay for it. */
  poolIds: string[]
  /** True once a decision approved it. */
  approved: boolean
  local: boolean
  createdAt: string
  updatedAt: string
}

/** A member's commitment of hours and/or money to a project. */
export interface CommitmentRecord {
  /** The commitment object's id (on the committing co-op's hub). */
  id: string
  projectId: string
  memberId: string
  /** Exact decimal hours ("12.5"), or null. */
  hours: string | null
  amount: MonetaryAmount | null
  note: string | null
  createdAt: string
}

/** A project rule broken by a request: `field` names what to fix. */
export class ProjectRuleError extends Error {
  constructor (readonly field: string, message: string) { super(message) }
}

// Which status a milestone may move to from each status: forward, or back from active to
// planned (work paused); a done milestone stays done.
const NEXT: Record<MilestoneStatus, readonly MilestoneStatus[]> = {
  planned: ['planned', 'active', 'done'],
  active: ['active', 'planned', 'done'],
  done: ['done']
}

/** True when a milestone may go from `from` to `to`. */
export function milestoneTransitionAllowed (from: MilestoneStatus, to: MilestoneStatus): boolean {
  return NEXT[from].includes(to)
}

/**
 * The milestones a PUT asks for, checked against the current ones (matched by name): names must
 * be distinct and no milestone may move backwards from done. Milestones left out are dropped.
 */
export function nextMilestones (current: readonly Milestone[], requested: ReadonlyArray<{ name: string, due?: string | null, status: MilestoneStatus }>): Milestone[] {
  const names = new Set<string>()
  const before = new Map(current.map(m => [m.name, m]))
  return requested.map((m, i) => {
    const name = m.name.trim()
    if (name === '') throw new ProjectRuleError(`milestones.${i}.name`, 'a milestone needs a name')
    if (names.has(name)) throw new ProjectRuleError(`milestones.${i}.name`, `two milestones are named "${name}"; each needs its own name`)
    names.add(name)
    const old = before.get(name)
    if (old && !milestoneTransitionAllowed(old.status, m.status)) {
      throw new ProjectRuleError(`milestones.${i}.status`, `milestone "${name}" is ${old.status} and cannot go back to ${m.status}`)
    }
    return { name, due: m.due ?? null, status: m.status }
  })
}

// Up to 7 whole digits and 2 decimals: a quarter of an hour is 0.25.
const HOURS = /^(0|[1-9][0-9]{0,6})(\.([0-9]{1,2}))?$/

/** Why `hours` is not a positive decimal number of hours, or null when it is. */
export function hoursProblem (hours: unknown): string | null {
  if (typeof hours !== 'string') return 'hours must be a decimal string such as "12.5", not a number'
  if (!HOURS.test(hours)) return `"${hours}" is not a plain decimal number of hours such as "12.5" (at most two decimals)`
  if (toHundredths(hours) === 0n) return 'hours must be greater than zero'
  return null
}

/** Checks a commitment's hours and amount (at least one of them); throws ProjectRuleError. */
export function checkCommitment (input: { hours?: string | null, amount?: MonetaryAmount | null }): { hours: string | null, amount: MonetaryAmount | null } {
  const hours = input.hours ?? null
  const amount = input.amount ?? null
  if (hours === null && amount === null) throw new ProjectRuleError('hours', 'a commitment needs hours, an amount, or both')
  if (hours !== null) {
    const problem = hoursProblem(hours)
    if (problem) throw new ProjectRuleError('hours', problem)
  }
  if (amount !== null) {
    const problem = amountProblem(amount)
    if (problem) throw new ProjectRuleError('amount', problem)
  }
  return { hours, amount: amount === null ? null : formatMoney(toMoney(amount)) }
}

/** Committed hours and money of one member, or of everyone. */
export interface CommittedTotals {
  hours: string
  money: MonetaryAmount[]
}

/** Totals of a project's commitments: overall and per member (members in first-commitment order). */
export function commitmentTotals (commitments: readonly CommitmentRecord[]): CommittedTotals & { perMember: Array<CommittedTotals & { memberId: string }> } {
  const byMember = new Map<string, CommitmentRecord[]>()
  for (const c of commitments) byMember.set(c.memberId, [...byMember.get(c.memberId) ?? [], c])
  return {
    ...totalsOf(commitments),
    perMember: [...byMember.entries()].map(([memberId, list]) => ({ memberId, ...totalsOf(list) }))
  }
}

/** Adds decimal hour strings exactly ("100.10" + "0.20" = "100.30"). */
export function sumHours (hours: readonly string[]): string {
  const total = hours.reduce((sum, h) => sum + toHundredths(h), 0n)
  const digits = total.toString().padStart(3, '0')
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`
}

function totalsOf (list: readonly CommitmentRecord[]): CommittedTotals {
  const money: Money[] = list.flatMap(c => c.amount ? [toMoney(c.amount)] : [])
  return { hours: sumHours(list.flatMap(c => c.hours ? [c.hours] : [])), money: totalsByCurrency(money) }
}

function toHundredths (hours: string): bigint {
  const [whole, fraction = ''] = hours.split('.')
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2))
}
