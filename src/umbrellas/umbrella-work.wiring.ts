/**
 * Builds the umbrella's projects, decisions and progress posts on the hub's real parts: the
 * membership rows of the store, the membership service for what a decision does, and the
 * transactional outbox for everything federated. A `vote` umbrella's Joins open an admission
 * decision here.
 */
import crypto from 'crypto'
import { ADMIN_SCOPE } from '../auth/token.service'
import { NotFoundError } from '../errors/app-errors'
import type { Apex } from '../federation/apex-setup'
import type { Publisher } from '../federation/publisher'
import type { Logger } from '../log/logger'
import type { SchemaValidator } from '../schemas/schema-validator'
import type { ApexNode, HubStore } from '../store/store.port'
import { DecisionsService } from './decisions.service'
import { ProgressPostsService } from './progress-posts.service'
import { ProjectsService } from './projects.service'
import type { UmbrellaMembershipService } from './umbrella-membership.service'
import type { MembershipActions, PublishActivity, UmbrellaMembership } from './umbrella-work.deps'

/** The umbrella's work, wired. */
export interface UmbrellaWork {
  decisions: DecisionsService
  projects: ProjectsService
  progress: ProgressPostsService
}

/** What the umbrella's work is built from. */
export interface UmbrellaWorkParts {
  apex: Apex
  store: HubStore
  publisher: Publisher
  schemas: SchemaValidator
  hubUrl: string
  umbrellaMemberships: UmbrellaMembershipService
  /** How long an admission decision stays open. */
  admissionVoteSeconds: number
  logger: Logger
}

/** Wires decisions, projects and progress posts, and makes a `vote` umbrella's Joins open an admission decision. */
export function createUmbrellaWork (parts: UmbrellaWorkParts): UmbrellaWork {
  const membership: UmbrellaMembership = {
    isMember: async (umbrellaId, coopId) => await parts.store.umbrellas.isMember(umbrellaId, coopId),
    listMembers: async umbrellaId => await parts.store.umbrellas.listMembers(umbrellaId)
  }
  const publish = publishThroughOutbox(parts.apex, parts.publisher)
  const newObjectId = (): string => `${parts.hubUrl}/o/${crypto.randomUUID()}`
  const common = { store: parts.store, membership, publish, schemas: parts.schemas, newObjectId }
  const projects = new ProjectsService(common)
  const decisions = new DecisionsService({ ...common, membershipActions: membershipActions(parts), projects, newId: () => crypto.randomUUID() })
  const progress = new ProgressPostsService(common)
  parts.umbrellaMemberships.openAdmissionDecision = async request => {
    const opened = await decisions.openAdmission(request.umbrella, request.actor, parts.admissionVoteSeconds)
    parts.logger.info({ umbrella: request.umbrella, actor: request.actor, decision: opened.id }, 'umbrella: a Join opened an admission decision')
  }
  return { decisions, projects, progress }
}

/** Signs and delivers through the transactional outbox; an embedded object is stored with its activity. */
function publishThroughOutbox (apex: Apex, publisher: Publisher): PublishActivity {
  return async activity => {
    const actor = await publisher.localActor(activity.actor)
    if (!actor) throw new NotFoundError(`${activity.actor} is not an actor of this hub`)
    const extras: Record<string, unknown> = { cc: activity.cc }
    if (activity.summary !== undefined) extras.summary = activity.summary
    if (typeof activity.object === 'string') {
      await publisher.send(actor, activity.type, { ...extras, object: activity.object }, activity.to)
      return
    }
    const node = await apex.fromJSONLD({ '@context': apex.context, ...activity.object }) as ApexNode
    await publisher.send(actor, activity.type, { ...extras, object: node }, activity.to, { objects: [node] })
  }
}

/** What a passed (or failed) membership decision does, through the membership service. */
function membershipActions (parts: UmbrellaWorkParts): MembershipActions {
  const usernameOf = async (umbrellaId: string): Promise<string> => {
    const umbrella = await parts.store.umbrellas.getUmbrellaByActorId(umbrellaId)
    if (!umbrella) throw new NotFoundError(`There is no umbrella ${umbrellaId} on this hub`)
    return umbrella.username
  }
  return {
    admitMember: async (umbrellaId, coopId) => { await parts.umbrellaMemberships.decideJoin(umbrellaId, coopId, 'admit') },
    refuseMember: async (umbrellaId, coopId, _decisionId, reason) => { await parts.umbrellaMemberships.decideJoin(umbrellaId, coopId, 'refuse', reason) },
    removeMember: async (umbrellaId, coopId) => { await parts.umbrellaMemberships.removeMember(await usernameOf(umbrellaId), ADMIN_SCOPE, coopId) }
  }
}
