import { first, idOf, typesOf } from '../domain/activity-streams/nodes'
import type { Apex } from '../federation/apex-setup'
import type { InboxEventFilter, InboxHandler, InboxRegistry } from '../federation/inbox/inbox-registry'
import { originProblem } from '../federation/received-object'
import type { RemoteActors } from '../federation/remote-actors'
import type { Logger } from '../log/logger'
import type { ApexNode, HubStore } from '../store/store.port'
import type { UmbrellaWork } from './umbrella-work.wiring'

/** What the umbrella's work handlers need. */
export interface UmbrellaWorkInboxParts {
  apex: Apex
  store: HubStore
  remote: RemoteActors
  work: UmbrellaWork
  logger: Logger
}

/**
 * The inbox side of an umbrella's projects and decisions. At the umbrella's hub: members' vote
 * Notes (Create of a Note in reply to a local Question) and commitments. At member hubs: the
 * umbrella's Question and project Page (Create and Update, kept as copies), its progress Notes,
 * and its Reject of a vote a local co-op sent. Objects are only taken from the umbrella they
 * belong to, and only by hubs with a member of it.
 */
export function registerUmbrellaWorkInbox (registry: InboxRegistry, parts: UmbrellaWorkInboxParts): void {
  const copyOfQuestion = onUmbrellaObject(parts, 'decision', async (umbrella, doc) => {
    await parts.work.decisions.receiveQuestion(umbrella.id, doc)
  })
  const copyOfPage = onUmbrellaObject(parts, 'project', async (umbrella, doc) => {
    const project = await parts.work.projects.receivePage(umbrella.id, doc)
    await copyCommitments(parts, umbrella, project.id, doc)
  })
  registry
    .on('Create', 'Note', onNote(parts), isVoteOrProgressCandidate)
    .on('Create', 'ioo:ProjectCommitment', onCommitment(parts))
    .on('Create', 'ioo:Decision', copyOfQuestion)
    .on('Update', 'ioo:Decision', copyOfQuestion)
    .on('Create', 'ioo:SharedProject', copyOfPage)
    .on('Update', 'ioo:SharedProject', copyOfPage)
    // Our vote's Create, resolved from our own outbox: the umbrella did not count it.
    .on('Reject', 'Create(Note)', onVoteRejected(parts))
}

/** A received node as plain compacted JSON (apex keeps values wrapped in arrays). */
async function plain (apex: Apex, node: ApexNode): Promise<Record<string, unknown>> {
  const doc = await apex.toJSONLD(node) as Record<string, unknown>
  delete doc['@context']
  return doc
}

/**
 * Only a Note in reply to something or with a context can be a vote or a progress post. Most
 * Notes are neither (a post to a co-op); the node is already compacted against the hub's context,
 * so a key it lacks cannot appear once it is made plain.
 */
const isVoteOrProgressCandidate: InboxEventFilter = ({ object }) => object !== undefined && ('inReplyTo' in object || 'context' in object)

/** A Note in reply to a local Question is a vote; a Note whose context is a project we keep is a progress post. */
function onNote (parts: UmbrellaWorkInboxParts): InboxHandler {
  return async ({ actor, activity, recipient, object }) => {
    // Registered with `isVoteOrProgressCandidate`: the dispatcher hands over only Notes it took.
    if (!object) return
    const note = await plain(parts.apex, object)
    const inReplyTo = idOf(note.inReplyTo)
    if (inReplyTo !== undefined) {
      const decision = await parts.store.umbrellaWork.getDecision(inReplyTo)
      // A vote goes to the umbrella; a reply with text (not a vote) or to another hub's Question is not ours.
      if (!decision?.local || decision.umbrellaId !== recipient.id || typeof first(note.name) !== 'string') return
      const problem = originProblem(String(note.id), actor.id)
      if (problem) {
        parts.logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: vote refused')
        return
      }
      const result = await parts.work.decisions.receiveVote(actor.id, activity.id, note)
      parts.logger.info({ actor: actor.id, decision: decision.id, ...result }, 'inbox: vote received')
      return
    }
    if (idOf(note.context) !== undefined) await parts.work.progress.receive(actor.id, note)
  }
}

/** A member's commitment to one of a local umbrella's projects. */
function onCommitment (parts: UmbrellaWorkInboxParts): InboxHandler {
  return async ({ actor, activity, recipient, object }) => {
    if (!object) return
    const doc = await plain(parts.apex, object)
    if (idOf(doc.receiver) !== recipient.id) return
    const problem = originProblem(String(doc.id), actor.id)
    if (problem) {
      parts.logger.warn({ actor: actor.id, activity: activity.id, problem }, 'inbox: commitment refused')
      return
    }
    const result = await parts.work.projects.receiveCommitment(actor.id, doc)
    if (!result.counted) parts.logger.warn({ actor: actor.id, activity: activity.id, reason: result.reason }, 'inbox: commitment not counted')
  }
}

/**
 * Create or Update of an umbrella's own object (a Question or a project Page): kept when it
 * comes from a remote umbrella this hub has a member co-op of, and lives on that umbrella's server.
 */
function onUmbrellaObject (parts: UmbrellaWorkInboxParts, what: string, keep: (umbrella: ApexNode, doc: Record<string, unknown>) => Promise<void>): InboxHandler {
  return async ({ actor, activity, object }) => {
    if (!object) return
    if (await parts.store.umbrellas.getUmbrellaByActorId(actor.id)) return
    if (!await hasLocalMember(parts.store, actor.id)) {
      parts.logger.info({ actor: actor.id, object: object.id }, `inbox: ${what} from an umbrella no co-op here belongs to; not kept`)
      return
    }
    const problem = originProblem(object.id, actor.id)
    if (problem) {
      parts.logger.warn({ actor: actor.id, activity: activity.id, problem }, `inbox: ${what} refused`)
      return
    }
    try {
      await keep(actor, await plain(parts.apex, object))
    } catch (err) {
      parts.logger.warn({ actor: actor.id, activity: activity.id, problem: (err as Error).message }, `inbox: ${what} refused`)
    }
  }
}

/** The member hub reads the project's commitments collection from the umbrella's server, so its totals per member match. */
async function copyCommitments (parts: UmbrellaWorkInboxParts, umbrella: ApexNode, projectId: string, page: Record<string, unknown>): Promise<void> {
  const collectionId = idOf(page.commitments)
  if (collectionId === undefined || originProblem(collectionId, umbrella.id) !== null) return
  try {
    const collection = await plain(parts.apex, await parts.remote.fetchNode(collectionId))
    const raw = collection.orderedItems ?? collection.items
    const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
    await parts.work.projects.receiveCommitmentCopies(umbrella.id, projectId, items)
  } catch (err) {
    parts.logger.warn({ err, project: projectId }, 'umbrella: the project\'s commitments could not be read; its totals here wait for the next update')
  }
}

/** The umbrella refused a vote a local co-op sent: recorded with its reason. */
function onVoteRejected (parts: UmbrellaWorkInboxParts): InboxHandler {
  return async ({ actor, activity, recipient, object }) => {
    if (!object || idOf(object.actor) !== recipient.id) return
    const note = first<ApexNode>(object.object)
    const noteId = idOf(note)
    if (noteId === undefined || (note !== undefined && typeof note === 'object' && !typesOf(note).includes('Note'))) return
    const reason = first<string>(activity.summary) ?? 'The umbrella did not count this vote'
    if (await parts.work.decisions.voteRefused(actor.id, recipient.id, noteId, reason)) {
      parts.logger.info({ umbrella: actor.id, voter: recipient.id, vote: noteId, reason }, 'inbox: vote refused by the umbrella')
    }
  }
}

async function hasLocalMember (store: HubStore, umbrellaId: string): Promise<boolean> {
  const members = await store.umbrellas.listMemberships({ umbrellaActorId: umbrellaId })
  for (const m of members) {
    if ((m.state === 'member' || m.state === 'pending') && await store.getCoopByActorId(m.memberActorId) !== null) return true
  }
  return false
}
