/**
 * An umbrella's shared projects: creating and updating them (PUT), members committing hours and
 * money, exact totals, and keeping copies of remote umbrellas' projects on member hubs.
 */
import { NotFoundError, ValidationError } from '../errors/app-errors'
import { toMoney, totalsByCurrency } from '../domain/money'
import type { MonetaryAmount } from '../domain/money'
import { commitmentObject, projectPage } from '../domain/umbrella/project-page'
import { checkCommitment, CommitmentRecord, commitmentTotals, CommittedTotals, nextMilestones, ProjectRecord, ProjectRuleError } from '../domain/umbrella/project'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { HubStore } from '../store/store.port'
import { defaultFollowersOf, PublishActivity, umbrellaAudience, UmbrellaMembership } from './umbrella-work.deps'

/** A project as the API shows it: the record, its committed totals and allocated money. */
export interface ProjectView extends Omit<ProjectRecord, 'local'> {
  committed: CommittedTotals & { perMember: Array<CommittedTotals & { memberId: string }> }
  allocated: MonetaryAmount[]
}

/** What the projects service is built from. */
export interface ProjectsDeps {
  store: Pick<HubStore, 'umbrellaWork' | 'pools'>
  membership: UmbrellaMembership
  publish: PublishActivity
  schemas: SchemaValidator
  /** A new IRI for an object of a local actor (a commitment). */
  newObjectId: () => string
  now?: () => string
  followersOf?: (actorId: string) => string
}

const KEY = /^[a-z0-9][a-z0-9-]{0,62}$/

/** Shared projects of umbrellas and the commitments members make to them. */
export class ProjectsService {
  private readonly now: () => string
  private readonly followersOf: (actorId: string) => string

  constructor (private readonly deps: ProjectsDeps) {
    this.now = deps.now ?? (() => new Date().toISOString())
    this.followersOf = deps.followersOf ?? defaultFollowersOf
  }

  /** Creates or replaces the umbrella's project `key` and federates Create or Update of its Page. */
  async put (umbrellaId: string, key: string, body: unknown): Promise<{ created: boolean, project: ProjectView }> {
    if (!KEY.test(key)) throw new ValidationError('The project key must be a lower-case slug of letters, digits and -, e.g. better-sync', { key: 'must be a lower-case slug' })
    const input = this.deps.schemas.validate('api/project-put.schema.json', body)
    const id = `${umbrellaId}/projects/${key}`
    const existing = await this.deps.store.umbrellaWork.getProject(id)
    if (input.poolId !== undefined) await this.requireStewardedPool(umbrellaId, input.poolId)
    const now = this.now()
    const milestones = ruled(() => nextMilestones(existing?.milestones ?? [], input.milestones))
    const project: ProjectRecord = {
      id,
      umbrellaId,
      key,
      name: input.name.trim(),
      summary: input.summary.trim(),
      upstream: input.upstream ? { name: input.upstream.name, url: input.upstream.url } : null,
      milestones,
      poolIds: input.poolId !== undefined ? [input.poolId] : existing?.poolIds ?? [],
      approved: existing?.approved ?? false,
      local: true,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now
    }
    if (project.name === '' || project.summary === '') throw new ValidationError('The project needs a name and a summary that are not blank')
    await this.deps.store.umbrellaWork.saveProject(project)
    await this.publishPage(project, existing ? 'Update' : 'Create')
    return { created: !existing, project: await this.view(id) }
  }

  /** A local co-op commits to a project it knows (local or a copy): sends the Commitment to the umbrella. */
  async commit (coopId: string, body: unknown): Promise<CommitmentRecord> {
    const input = this.deps.schemas.validate('api/commitment-create.schema.json', body)
    const project = await this.deps.store.umbrellaWork.getProject(input.project)
    if (!project) throw new NotFoundError(`This hub does not know the project ${input.project}; it learns an umbrella's projects once the co-op is a member`)
    if (!await this.deps.membership.isMember(project.umbrellaId, coopId)) {
      throw new ValidationError('Only member co-ops of the umbrella can commit to its projects', { project: 'belongs to an umbrella this co-op is not a member of' })
    }
    const checked = ruled(() => checkCommitment({ hours: input.hours, amount: input.amount }))
    const record: CommitmentRecord = { id: this.deps.newObjectId(), projectId: project.id, memberId: coopId, ...checked, note: input.note ?? null, createdAt: this.now() }
    const object = commitmentObject({ ...record, umbrellaId: project.umbrellaId, published: record.createdAt })
    await this.deps.publish({ type: 'Create', actor: coopId, object, to: [project.umbrellaId], cc: [] })
    // When the umbrella lives on this hub the commitment is recorded here at once.
    if (project.local) await this.record(record)
    return record
  }

  /**
   * The umbrella's side of a received commitment: counted when it comes from a member, for one of
   * the umbrella's own projects, with valid hours or amount; answers why not otherwise.
   */
  async receiveCommitment (senderId: string, object: Record<string, unknown>): Promise<{ counted: boolean, reason?: string }> {
    const doc = this.deps.schemas.validate('objects/project-commitment.schema.json', object, 'commitment')
    if (doc.attributedTo !== senderId || doc.provider !== senderId) return { counted: false, reason: 'the commitment is not attributed to its sender' }
    const project = await this.deps.store.umbrellaWork.getProject(doc.context)
    if (!project?.local || project.umbrellaId !== doc.receiver) return { counted: false, reason: 'there is no such project of this umbrella' }
    if (!await this.deps.membership.isMember(project.umbrellaId, senderId)) return { counted: false, reason: 'only member co-ops can commit to the umbrella\'s projects' }
    let checked
    try {
      checked = checkCommitment({ hours: doc.hours, amount: doc.amount })
    } catch (err) {
      return { counted: false, reason: (err as Error).message }
    }
    const counted = await this.record({ id: doc.id, projectId: project.id, memberId: senderId, ...checked, note: doc.content ?? null, createdAt: this.now() })
    return counted ? { counted } : { counted, reason: 'the commitment was already recorded' }
  }

  /** Keeps a copy of a remote umbrella's project Page (on member hubs), milestones included. */
  async receivePage (senderId: string, object: Record<string, unknown>): Promise<ProjectRecord> {
    const doc = this.deps.schemas.validate('objects/shared-project.schema.json', object, 'project')
    if (doc.attributedTo !== senderId) throw new ValidationError('The project is not attributed to the umbrella that sent it')
    const existing = await this.deps.store.umbrellaWork.getProject(doc.id)
    const project: ProjectRecord = {
      id: doc.id,
      umbrellaId: senderId,
      key: doc.id.slice(doc.id.lastIndexOf('/') + 1),
      name: doc.name,
      summary: doc.summary,
      upstream: doc.upstream ? { name: doc.upstream.name, url: doc.upstream.url } : null,
      milestones: doc.milestones.map(m => ({ name: m.name, due: m.endTime ?? null, status: m.milestoneStatus })),
      poolIds: doc.fundedBy ?? [],
      approved: doc.approved ?? false,
      local: false,
      createdAt: existing?.createdAt ?? doc.published ?? this.now(),
      updatedAt: doc.updated ?? this.now()
    }
    await this.deps.store.umbrellaWork.saveProject(project)
    return project
  }

  /** The projects of an umbrella this hub hosts or keeps copies of, oldest first. */
  async list (umbrellaId: string): Promise<ProjectView[]> {
    const views: ProjectView[] = []
    for (const p of await this.deps.store.umbrellaWork.listProjects(umbrellaId)) views.push(await this.view(p.id))
    return views
  }

  /** The Page of a local umbrella's project, as federated (public), or null. */
  async page (projectId: string): Promise<Record<string, unknown> | null> {
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (!project?.local) return null
    const totals = commitmentTotals(await this.deps.store.umbrellaWork.listCommitments({ projectId }))
    return projectPage(project, totals, await umbrellaAudience(this.deps.membership, project.umbrellaId, this.followersOf), await this.allocated(projectId))
  }

  /** The commitments to a local umbrella's project as federated objects (its `ioo:commitments` collection), or null. */
  async commitmentObjects (projectId: string): Promise<Array<Record<string, unknown>> | null> {
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (!project?.local) return null
    return (await this.deps.store.umbrellaWork.listCommitments({ projectId })).map(c => commitmentObject({ ...c, umbrellaId: project.umbrellaId, published: c.createdAt }))
  }

  /**
   * A member hub keeps the commitments its copy of a remote project lists (the umbrella's
   * `ioo:commitments` collection): only those for this project, received by its umbrella, with
   * valid hours or amount. Answers how many were new.
   */
  async receiveCommitmentCopies (umbrellaId: string, projectId: string, items: unknown[]): Promise<number> {
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (!project || project.local || project.umbrellaId !== umbrellaId) return 0
    let added = 0
    for (const item of items) {
      let doc
      try {
        doc = this.deps.schemas.validate('objects/project-commitment.schema.json', item, 'commitment')
        if (doc.context !== projectId || doc.receiver !== umbrellaId || doc.provider !== doc.attributedTo) continue
        const checked = checkCommitment({ hours: doc.hours, amount: doc.amount })
        const record = { id: doc.id, projectId, memberId: doc.provider, ...checked, note: doc.content ?? null, createdAt: doc.published ?? this.now() }
        if (await this.deps.store.umbrellaWork.saveCommitment(record)) added++
      } catch {
        // One bad item does not stop the others; the umbrella's own totals stay authoritative.
        continue
      }
    }
    return added
  }

  /** The project with its totals per member and overall, and allocated money. */
  async view (projectId: string): Promise<ProjectView> {
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (!project) throw new NotFoundError(`There is no project ${projectId} on this hub`)
    const { local: _local, ...rest } = project
    return { ...rest, committed: commitmentTotals(await this.deps.store.umbrellaWork.listCommitments({ projectId })), allocated: await this.allocated(projectId) }
  }

  /** Federates the project's current Page as an Update (after an approval or an allocation). */
  async republish (projectId: string): Promise<void> {
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (project?.local) await this.publishPage(project, 'Update')
  }

  private async record (commitment: CommitmentRecord): Promise<boolean> {
    const saved = await this.deps.store.umbrellaWork.saveCommitment(commitment)
    if (saved) await this.republish(commitment.projectId)
    return saved
  }

  private async publishPage (project: ProjectRecord, type: 'Create' | 'Update'): Promise<void> {
    const totals = commitmentTotals(await this.deps.store.umbrellaWork.listCommitments({ projectId: project.id }))
    const audience = await umbrellaAudience(this.deps.membership, project.umbrellaId, this.followersOf)
    const page = projectPage(project, totals, audience, await this.allocated(project.id))
    await this.deps.publish({ type, actor: project.umbrellaId, object: page, ...audience })
  }

  private async allocated (projectId: string): Promise<MonetaryAmount[]> {
    const allocations = await this.deps.store.umbrellaWork.listAllocations({ projectId })
    return totalsByCurrency(allocations.map(a => toMoney(a.amount)))
  }

  private async requireStewardedPool (umbrellaId: string, poolId: string): Promise<void> {
    const pool = await this.deps.store.pools.getPool(poolId)
    if (!pool || pool.stewardId !== umbrellaId) {
      throw new ValidationError('A project can only be linked to a funding pool the umbrella stewards', { poolId: 'is not a pool this umbrella stewards' })
    }
  }
}

function ruled<T> (work: () => T): T {
  try {
    return work()
  } catch (err) {
    if (err instanceof ProjectRuleError) throw new ValidationError(`The project is not valid: ${err.field} ${err.message}`, { [err.field]: err.message })
    throw err
  }
}
