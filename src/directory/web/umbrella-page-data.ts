/**
 * What an umbrella's page shows: its members (a list, and the located ones on the map), its
 * shared projects with milestones and committed hours and money, and its decisions with their
 * tallies. Read from the umbrella and umbrella-work repositories; every amount stays an exact
 * decimal string, and bar widths are whole percentages computed on integers.
 */
import { first } from '../../domain/activity-streams/nodes'
import { toMoney } from '../../domain/money'
import type { DecisionAction, DecisionRecord } from '../../domain/umbrella/decision'
import { commitmentTotals, type ProjectRecord } from '../../domain/umbrella/project'
import type { HubStore } from '../../store/store.port'
import type { UmbrellaRecord } from '../../store/ports/umbrella.port'
import type { DirectoryService } from '../directory.service'
import { graticulePath, landPath, MAP_HEIGHT, MAP_WIDTH, project } from './svg/world-map'
import type { ViewHelpers } from './view-helpers'

/** A named thing with an optional link to its page. */
export interface Named { name: string, href?: string }

/** One bar of a committed total: a member's share, as words and as a whole percentage. */
export interface ShareBar { member: Named, amount: string, percent: number }

/** A project as its section shows it. */
export interface ProjectSection {
  key: string
  name: string
  summary: string
  upstream: { name: string, url: string } | null
  approved: boolean
  milestones: Array<{ name: string, due: string, status: string, statusLabel: string }>
  hours: { total: string, bars: ShareBar[] } | null
  money: Array<{ currency: string, total: string, bars: ShareBar[] }>
  allocated: string[]
  pools: Named[]
}

/** A decision as its section shows it, open or past. */
export interface DecisionSection {
  id: string
  question: string
  status: string
  statusLabel: string
  closes: string
  closed: string
  rule: string
  quorum: string
  action: string | null
  actionResult: string | null
  voters: number
  members: number
  options: Array<{ name: string, count: number, percent: number }>
}

/** Everything the umbrella's page shows. */
export interface UmbrellaPage {
  name: string
  summary: string
  url: string | null
  actorId: string
  handle: string
  policy: string
  members: Array<Named & { hub: string, since: string }>
  map: { width: number, height: number, land: string, graticule: string, points: Array<{ x: number, y: number, name: string, href?: string }> }
  projects: ProjectSection[]
  openDecisions: DecisionSection[]
  pastDecisions: DecisionSection[]
}

/** An umbrella in the list of this hub's umbrellas. */
export interface UmbrellaListItem { name: string, summary: string, href: string, members: number, policy: string }

/** Gathers an umbrella's page from the store; `h` gives words, dates and money in the page's language. */
export class UmbrellaPageData {
  constructor (
    private readonly store: Pick<HubStore, 'umbrellas' | 'umbrellaWork' | 'pools' | 'getObject'>,
    private readonly directory: DirectoryService,
    private readonly h: ViewHelpers
  ) {}

  /** The local umbrella `username`, or null when there is none (the name may be a co-op's). */
  async umbrella (username: string): Promise<UmbrellaRecord | null> {
    return await this.store.umbrellas.getUmbrella(username.toLowerCase())
  }

  /** Every umbrella of this hub, oldest first. */
  async list (): Promise<UmbrellaListItem[]> {
    const items: UmbrellaListItem[] = []
    for (const u of await this.store.umbrellas.listUmbrellas()) {
      const actor = await this.store.getObject(u.actorId)
      items.push({
        name: first<string>(actor?.name) ?? u.username,
        summary: first<string>(actor?.summary) ?? '',
        href: new URL(u.actorId).pathname,
        members: (await this.store.umbrellas.listMembers(u.actorId)).length,
        policy: this.h.m.umbrella.policy[u.membershipPolicy]
      })
    }
    return items
  }

  /** The whole page of a local umbrella. */
  async page (umbrella: UmbrellaRecord): Promise<UmbrellaPage> {
    const actor = await this.store.getObject(umbrella.actorId)
    const url = first<string>(actor?.url) ?? null
    const names = new Map<string, Named>()
    const members: UmbrellaPage['members'] = []
    const points: UmbrellaPage['map']['points'] = []
    for (const m of await this.store.umbrellas.listMembers(umbrella.actorId)) {
      const entry = await this.directory.forActor(m.actorId)
      const named = entry ? { name: entry.name, href: this.h.entryHref(entry) } : await this.party(m.actorId)
      names.set(m.actorId, named)
      members.push({ ...named, hub: safeHost(m.hub) ?? m.hub, since: this.h.date(m.since) })
      const lat = entry?.location?.lat
      const lon = entry?.location?.lon
      if (typeof lat === 'number' && typeof lon === 'number') points.push({ ...project(lat, lon), ...named })
    }
    const named = async (id: string): Promise<Named> => names.get(id) ?? await this.party(id)
    const projects: ProjectSection[] = []
    for (const p of await this.store.umbrellaWork.listProjects(umbrella.actorId)) projects.push(await this.project(p, named))
    const decisions: DecisionSection[] = []
    for (const d of await this.store.umbrellaWork.listDecisions(umbrella.actorId)) decisions.push(await this.decision(d, members.length, named))
    return {
      name: first<string>(actor?.name) ?? umbrella.username,
      summary: first<string>(actor?.summary) ?? '',
      url: url === umbrella.actorId ? null : url,
      actorId: umbrella.actorId,
      handle: `@${umbrella.username}@${new URL(umbrella.actorId).host}`,
      policy: this.h.m.umbrella.policy[umbrella.membershipPolicy],
      members,
      map: { width: MAP_WIDTH, height: MAP_HEIGHT, land: landPath(), graticule: graticulePath(), points },
      projects,
      openDecisions: decisions.filter(d => d.status === 'open'),
      pastDecisions: decisions.filter(d => d.status !== 'open')
    }
  }

  private async project (p: ProjectRecord, named: (id: string) => Promise<Named>): Promise<ProjectSection> {
    const m = this.h.m.umbrella
    const totals = commitmentTotals(await this.store.umbrellaWork.listCommitments({ projectId: p.id }))
    const hoursBars: ShareBar[] = []
    const money = new Map<string, ShareBar[]>(totals.money.map(t => [t.currency, []]))
    for (const member of totals.perMember) {
      const who = await named(member.memberId)
      if (hundredths(member.hours) > 0n) {
        hoursBars.push({ member: who, amount: this.h.format(m.hours, { hours: member.hours }), percent: share(hundredths(member.hours), hundredths(totals.hours)) })
      }
      for (const amount of member.money) {
        const total = totals.money.find(t => t.currency === amount.currency)
        if (!total) continue
        money.get(amount.currency)?.push({ member: who, amount: this.h.money(amount.value, amount.currency), percent: share(toMoney(amount).minor, toMoney(total).minor) })
      }
    }
    const allocations = await this.store.umbrellaWork.listAllocations({ projectId: p.id })
    const pools: Named[] = []
    for (const id of p.poolIds) {
      const pool = await this.store.pools.getPool(id)
      pools.push(pool?.local ? { name: pool.object.name, href: '/pools' } : { name: pool?.object.name ?? id })
    }
    return {
      key: p.key,
      name: p.name,
      summary: p.summary,
      upstream: p.upstream && /^https?:/.test(p.upstream.url) ? p.upstream : null,
      approved: p.approved,
      milestones: p.milestones.map(ms => ({ name: ms.name, due: this.h.date(ms.due ?? undefined), status: ms.status, statusLabel: m.milestoneStatus[ms.status] })),
      hours: hoursBars.length ? { total: this.h.format(m.hours, { hours: totals.hours }), bars: hoursBars } : null,
      money: totals.money.map(t => ({ currency: t.currency, total: this.h.money(t.value, t.currency), bars: money.get(t.currency) ?? [] })),
      allocated: allocations.map(a => this.h.money(a.amount.value, a.amount.currency)),
      pools
    }
  }

  private async decision (d: DecisionRecord, members: number, named: (id: string) => Promise<Named>): Promise<DecisionSection> {
    const m = this.h.m.umbrella
    const tally = await this.store.umbrellaWork.getTally(d.id)
    const votes = d.options.reduce((sum, o) => sum + (tally.counts[o] ?? 0), 0)
    return {
      id: d.id.slice(d.id.lastIndexOf('/') + 1),
      question: d.question,
      status: d.status,
      statusLabel: m.decisionStatus[d.status],
      closes: this.h.date(d.closesAt),
      closed: this.h.date(d.closedAt ?? undefined),
      rule: m.rule[d.rule],
      quorum: this.h.format(m.quorum, { percent: quorumPercent(d.quorum) }),
      action: d.action ? await this.action(d.action, named) : null,
      actionResult: d.actionResult,
      voters: tally.votersCount,
      members,
      options: d.options.map(name => ({ name, count: tally.counts[name] ?? 0, percent: votes ? share(BigInt(tally.counts[name] ?? 0), BigInt(votes)) : 0 }))
    }
  }

  private async action (action: DecisionAction, named: (id: string) => Promise<Named>): Promise<string> {
    const m = this.h.m.umbrella.action
    switch (action.type) {
      case 'ioo:AdmitMember': return this.h.format(m.admit, { name: (await named(action.object)).name })
      case 'ioo:RemoveMember': return this.h.format(m.remove, { name: (await named(action.object)).name })
      case 'ioo:ApproveProject': return this.h.format(m.approve, { name: await this.projectName(action.object) })
      case 'ioo:AllocateFunds': {
        const pool = await this.store.pools.getPool(action.pool)
        return this.h.format(m.allocate, { amount: this.h.money(action.amount.value, action.amount.currency), pool: pool?.object.name ?? action.pool, project: await this.projectName(action.project) })
      }
    }
  }

  private async projectName (id: string): Promise<string> {
    return (await this.store.umbrellaWork.getProject(id))?.name ?? id
  }

  /** An actor not in the directory: its name when the hub holds its actor, else its host. */
  private async party (actorId: string): Promise<Named> {
    const actor = await this.store.getObject(actorId)
    return { name: first<string>(actor?.name) ?? safeHost(actorId) ?? actorId }
  }
}

/** `part` of `whole` as a whole percentage (0 when the whole is zero). */
function share (part: bigint, whole: bigint): number {
  return whole > 0n ? Number(part * 100n / whole) : 0
}

/** Decimal hours ("12.50") in hundredths, exactly. */
function hundredths (hours: string): bigint {
  const [whole, fraction = ''] = hours.split('.')
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2))
}

/** A quorum's decimal text ("0.5") as a percentage text ("50"), without floats. */
function quorumPercent (quorum: string): string {
  const [whole, fraction = ''] = quorum.split('.')
  const padded = fraction.padEnd(2, '0')
  const percent = `${BigInt(whole + padded.slice(0, 2))}`
  const rest = padded.slice(2).replace(/0+$/, '')
  return rest ? `${percent}.${rest}` : percent
}

function safeHost (url: string): string | undefined {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}
