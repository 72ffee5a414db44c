import { AppError, MalformedBodyError } from '../../errors/app-errors'
import type { Request } from 'express'
import { Apex, compactedNow } from '../apex-setup'
import type { InboxStep } from './inbox-steps'

/** The activity types of ActivityStreams 2.0 (Activity Vocabulary, section 3.1). */
const AS2_ACTIVITY_TYPES = new Set([
  'Accept', 'Add', 'Announce', 'Arrive', 'Block', 'Create', 'Delete', 'Dislike', 'Flag', 'Follow',
  'Ignore', 'Invite', 'Join', 'Leave', 'Like', 'Listen', 'Move', 'Offer', 'Question', 'Reject', 'Read',
  'Remove', 'TentativeReject', 'TentativeAccept', 'Travel', 'Undo', 'Update', 'View'
])

/**
 * Replaces apex's `validators.jsonld` on the inbox: the body is compacted against the hub
 * context as apex does, but a document JSON-LD cannot process is a 400 with the reason (apex
 * answered 500), and a multi-typed activity is reduced to its ActivityStreams activity type
 * (apex calls `type.toLowerCase()` and would fail); one without any is refused.
 */
export function parseActivityJsonLd (apex: Apex): InboxStep {
  return req => {
    // Nearly every activity is compacted at once; a new context or shape waits for its loads.
    const known = compactedNow(apex, req.body as Record<string, unknown>)
    if (known !== undefined) {
      takeCompacted(req, known)
      return
    }
    return apex.fromJSONLD(req.body as Record<string, unknown>).then(node => takeCompacted(req, node), err => {
      throw err instanceof AppError ? err : new MalformedBodyError(`The body is not valid JSON-LD: ${(err as Error).message}`)
    })
  }
}

/** The compacted activity as the request's body, its type reduced to its ActivityStreams activity type. */
function takeCompacted (req: Request, node: Record<string, unknown> | null): void {
  if (!node || typeof node !== 'object') throw new MalformedBodyError('The body is not a JSON-LD document')
  const type = node.type as unknown
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type]
    if (!types.every(t => typeof t === 'string')) throw new MalformedBodyError('The activity type must be a string or a list of strings')
    if (Array.isArray(type)) {
      const core = (types as string[]).find(t => AS2_ACTIVITY_TYPES.has(t))
      if (core === undefined) throw new MalformedBodyError(`None of the types ${types.join(', ')} is an ActivityStreams activity type`)
      node.type = core
    }
  }
  req.body = node
}
