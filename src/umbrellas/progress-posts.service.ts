/**
 * Progress posts of shared projects: the umbrella posts a `Note` with the project as its
 * `context` to its members and followers; member hubs keep them per project.
 */
import { NotFoundError, ValidationError } from '../errors/app-errors'
import { first, idOf } from '../domain/activity-streams/nodes'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { HubStore } from '../store/store.port'
import type { ProgressPostRecord } from '../store/ports/umbrella-notes.port'
import { defaultFollowersOf, PublishActivity, umbrellaAudience, UmbrellaMembership } from './umbrella-work.deps'

/** What the progress posts service is built from. */
export interface ProgressPostsDeps {
  store: Pick<HubStore, 'umbrellaWork' | 'umbrellaNotes'>
  membership: UmbrellaMembership
  publish: PublishActivity
  schemas: SchemaValidator
  newObjectId: () => string
  now?: () => string
  followersOf?: (actorId: string) => string
}

/** Posts about a project's progress, both sides. */
export class ProgressPostsService {
  private readonly now: () => string

  constructor (private readonly deps: ProgressPostsDeps) {
    this.now = deps.now ?? (() => new Date().toISOString())
  }

  /** The umbrella posts about its project `projectId`: kept here and federated in a Create. */
  async post (projectId: string, body: unknown): Promise<ProgressPostRecord> {
    const input = this.deps.schemas.validate('api/progress-post.schema.json', body)
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (!project?.local) throw new NotFoundError(`There is no project ${projectId} of an umbrella on this hub`)
    const text = input.content.trim()
    if (text === '') throw new ValidationError('The post cannot be blank', { content: 'is blank' })
    const post: ProgressPostRecord = { id: this.deps.newObjectId(), projectId, umbrellaId: project.umbrellaId, content: `<p>${escapeHtml(text)}</p>`, published: this.now() }
    const audience = await umbrellaAudience(this.deps.membership, project.umbrellaId, this.deps.followersOf ?? defaultFollowersOf)
    const note = { id: post.id, type: 'Note', attributedTo: project.umbrellaId, context: projectId, content: post.content, published: post.published, ...audience }
    await this.deps.store.umbrellaNotes.saveProgressPost(post)
    await this.deps.publish({ type: 'Create', actor: project.umbrellaId, object: note, ...audience })
    return post
  }

  /**
   * A Note from `senderId` whose context is a project this hub keeps a copy of: kept when the
   * sender is that project's umbrella and the Note is its own. Answers whether it was kept.
   */
  async receive (senderId: string, note: Record<string, unknown>): Promise<boolean> {
    const id = idOf(note)
    const projectId = idOf(note.context)
    const content = first<unknown>(note.content)
    if (id === undefined || projectId === undefined || typeof content !== 'string') return false
    const project = await this.deps.store.umbrellaWork.getProject(projectId)
    if (!project || project.local || project.umbrellaId !== senderId) return false
    if (idOf(note.attributedTo) !== senderId || new URL(id).origin !== new URL(senderId).origin) return false
    const published = first<unknown>(note.published)
    await this.deps.store.umbrellaNotes.saveProgressPost({ id, projectId, umbrellaId: senderId, content: content.slice(0, 20_000), published: typeof published === 'string' ? published : this.now() })
    return true
  }

  /** The posts of a project, oldest first. */
  async list (projectId: string): Promise<ProgressPostRecord[]> {
    return await this.deps.store.umbrellaNotes.listProgressPosts(projectId)
  }
}

function escapeHtml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
