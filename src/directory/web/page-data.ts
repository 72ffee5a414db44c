/**
 * The data each page shows, gathered from the directory and from pools and agreements. Kept
 * apart from routing so that the pages' content can be read and tested without HTTP.
 */
import type { DirectoryEntry } from '../../store/ports/directory.port'
import type { DirectoryService } from '../directory.service'
import type { FundingPool, MemberExchangeAgreement, NetworkData } from '../network-data'
import { byClosenessToGoal, poolProgress, PoolProgress } from '../pool-progress'
import { layoutNetwork, NetworkLayout, NetworkNode } from './svg/network-graph'
import { graticulePath, landPath, MAP_HEIGHT, MAP_WIDTH, project } from './svg/world-map'
import { entryServiceRows, ServiceRow } from './entry-services'
import type { ViewHelpers } from './view-helpers'

/** A pool as its card shows it. */
export interface PoolView {
  name: string
  summary?: string
  status: string
  stewardName?: string
  stewardHref?: string
  beneficiary?: string
  deadline?: string
  goal: string
  pledged: string
  received: string
  pledgedPercent: number
  receivedPercent: number
  /** A copy of another hub's pool: the host it comes from and when this hub last got it. */
  copy?: { host: string, asOf: string }
}

/** An agreement as a co-op's page lists it. */
export interface AgreementView {
  name: string
  status: string
  period: string
  partners: Array<{ name: string, href?: string }>
}

/** A cloud of the network as the narrow-screen list shows it: who it has active agreements with. */
export interface NetworkCloud {
  label: string
  href?: string
  partners: string[]
}

/** Gathers page data; `h` gives names, dates and links in the page's language. */
export class PageData {
  constructor (
    private readonly directory: DirectoryService,
    private readonly network: NetworkData,
    private readonly h: ViewHelpers
  ) {}

  /** How a party (an actor id) is named and linked: its directory entry when listed. */
  private async party (actorId: string): Promise<{ name: string, href?: string }> {
    const entry = await this.directory.forActor(actorId)
    if (entry) return { name: entry.name, href: this.h.entryHref(entry) }
    return { name: safeHost(actorId) ?? this.h.m.entry.unknownPartner }
  }

  /** A pool's card, amounts formatted in its goal's currency; `refreshedAt` for a copy of another hub's pool. */
  async pool (pool: FundingPool, progress: PoolProgress = poolProgress(pool), refreshedAt?: string): Promise<PoolView> {
    const steward = await this.party(pool.attributedTo)
    const view: PoolView = {
      name: pool.name,
      status: pool.poolStatus,
      stewardName: steward.name,
      goal: this.h.money(progress.goal, progress.currency),
      pledged: this.h.money(progress.pledged, progress.currency),
      received: this.h.money(progress.received, progress.currency),
      pledgedPercent: progress.pledgedPercent,
      receivedPercent: progress.receivedPercent
    }
    if (steward.href) view.stewardHref = steward.href
    if (pool.summary) view.summary = pool.summary
    if (pool.beneficiary?.name) view.beneficiary = pool.beneficiary.name
    if (pool.endTime) view.deadline = this.h.date(pool.endTime)
    if (refreshedAt) view.copy = { host: safeHost(pool.id) ?? pool.id, asOf: this.h.date(refreshedAt) }
    return view
  }

  /** The entry's services, its co-op's and those imported directories list, each with who lists it. */
  async services (entry: DirectoryEntry): Promise<ServiceRow[]> {
    return entryServiceRows(entry, await this.directory.sourcesOf(entry))
  }

  /** The co-op page's pools (those it stewards) and agreements (those it is a party to). */
  async coopSections (entry: DirectoryEntry): Promise<{ pools: PoolView[], agreements: AgreementView[] }> {
    if (!entry.actor) return { pools: [], agreements: [] }
    const [pools, agreements] = await Promise.all([this.network.pools({ steward: entry.actor }), this.network.agreements({ party: entry.actor })])
    const poolViews: PoolView[] = []
    for (const { object, refreshedAt } of pools) poolViews.push(await this.pool(object, undefined, refreshedAt))
    const agreementViews: AgreementView[] = []
    for (const a of agreements) agreementViews.push(await this.agreement(a, entry.actor))
    return { pools: poolViews, agreements: agreementViews }
  }

  private async agreement (a: MemberExchangeAgreement, self: string): Promise<AgreementView> {
    const partners = []
    for (const p of a.parties.filter(p => p !== self)) partners.push(await this.party(p))
    const m = this.h.m
    const period = [this.h.format(m.entry.since, { date: this.h.date(a.startTime) }), a.endTime ? this.h.format(m.entry.until, { date: this.h.date(a.endTime) }) : ''].filter(Boolean).join(' ')
    return { name: a.name, status: m.values.agreementStatus[a.agreementStatus] ?? a.agreementStatus, period, partners }
  }

  /** Every open pool, closest to its goal first. */
  async openPools (): Promise<PoolView[]> {
    const views: PoolView[] = []
    const pools = await this.network.pools()
    const refreshed = new Map(pools.map(p => [p.object.id, p.refreshedAt]))
    for (const { pool, progress } of byClosenessToGoal(pools.map(p => p.object))) views.push(await this.pool(pool, progress, refreshed.get(pool.id)))
    return views
  }

  /**
   * The network picture: co-op clouds on a circle, a line per pair of parties of each active
   * agreement; and the same clouds as a list, each with its partners, for narrow screens.
   */
  async networkGraph (): Promise<{ graph: NetworkLayout, clouds: NetworkCloud[], agreements: Array<{ name: string, parties: string[] }> }> {
    const entries = (await this.directory.all()).filter(e => e.kind === 'coop-cloud' && e.actor)
    entries.sort((a, b) => a.name.localeCompare(b.name))
    const nodes: NetworkNode[] = entries.map(e => ({ key: e.actor as string, label: e.name, href: this.h.entryHref(e) }))
    const known = new Set(nodes.map(n => n.key))
    const active = (await this.network.agreements()).filter(a => a.agreementStatus === 'active')
    for (const a of active) {
      for (const p of a.parties) {
        if (known.has(p)) continue
        known.add(p)
        nodes.push({ key: p, label: safeHost(p) ?? p })
      }
    }
    const label = new Map(nodes.map(n => [n.key, n.label]))
    const graph = layoutNetwork(nodes, active.map(a => ({ parties: a.parties, label: a.name })))
    const clouds = nodes.map(n => {
      const partners = new Set(active.filter(a => a.parties.includes(n.key)).flatMap(a => a.parties).filter(p => p !== n.key))
      return { label: n.label, href: n.href, partners: [...partners].map(p => label.get(p) ?? p) }
    })
    return { graph, clouds, agreements: active.map(a => ({ name: a.name, parties: a.parties.map(p => label.get(p) ?? p) })) }
  }

  /** Map points of every located entry (co-op clouds drawn last, on top) and how many have no place. */
  async mapPoints (): Promise<{ width: number, height: number, land: string, graticule: string, points: Array<{ x: number, y: number, name: string, href: string, coop: boolean }>, unlocated: number }> {
    const entries = await this.directory.all()
    const located = entries.filter(e => typeof e.location?.lat === 'number' && typeof e.location?.lon === 'number')
    located.sort((a, b) => Number(a.kind === 'coop-cloud') - Number(b.kind === 'coop-cloud') || a.name.localeCompare(b.name))
    const points = located.map(e => ({ ...project(e.location?.lat as number, e.location?.lon as number), name: e.name, href: this.h.entryHref(e), coop: e.kind === 'coop-cloud' }))
    return { width: MAP_WIDTH, height: MAP_HEIGHT, land: landPath(), graticule: graticulePath(), points, unlocated: entries.length - located.length }
  }
}

function safeHost (url: string): string | undefined {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}
