import type { ApexNode, HubStore } from '../../store/store.port'
import { Apex } from '../apex-setup'
import { first } from '../../domain/activity-streams/nodes'
import { StampedReads } from '../stamped-reads'
import type { InboxStep } from './inbox-steps'

/** A recipient as the inbox keeps it: its document (with its keys) and whom it blocks. */
interface KeptRecipient {
  document: ApexNode
  /** The objects of the Blocks in its blocked collection, as apex's block list holds them. */
  blockList: Array<string | null>
}

/**
 * Replaces apex's `validators.targetActorWithMeta` on the inbox, with the same outcome: the
 * recipient co-op (with its keys) as `target`, 404 or 410 otherwise, and its block list. apex
 * builds the list by turning the blocked collection into a JSON-LD page (a jsonld.js compaction
 * on every POST); this reads the same items from the store, and nothing more than the collection's
 * count when it is empty, which it almost always is. Both are kept in memory, read once, while no
 * document and no blocked collection changes (`StampedReads`); each request gets copies of its
 * own to add to.
 */
export function inboxTarget (apex: Apex, store: HubStore): InboxStep {
  const blockedIri = apex.utils.nameToBlockedIRI as (username: string) => string
  const activityObjectId = (activity: unknown): string | null => apex.objectIdFromActivity(activity as never)
  const recipients = new StampedReads<KeptRecipient>(store, ['documents', 'blockedCollections'])

  /** The recipient under `iri` with its block list; null when no document is held under it. */
  const readRecipient = async (iri: string, username: string): Promise<KeptRecipient | null> => {
    const document = await store.getObject(iri, true)
    if (!document) return null
    if (document.type === 'Tombstone') return { document, blockList: [] }
    // apex names the collection after the stored preferredUsername, as here.
    const collection = blockedIri(first<string>(document.preferredUsername) ?? username)
    const blockList = await store.getStreamCount(collection) === 0
      ? []
      : (await store.getStream(collection, null, null)).map(activityObjectId)
    return { document, blockList }
  }

  /** What the step leaves for the steps after it: the recipient as `target`, or the refusal. */
  const settle = (locals: Record<string, unknown>, username: string, kept: KeptRecipient | null): void => {
    if (!kept) {
      locals.status = 404
      locals.statusMessage = `'${username}' not found on this instance`
      return
    }
    if (kept.document.type === 'Tombstone') {
      locals.status = 410
      return
    }
    // Object.assign copies a parsed document about ten times faster than a spread does.
    const target: ApexNode = Object.assign({}, kept.document)
    target._local = { blockList: kept.blockList.slice() }
    locals.target = target
  }

  return (req, res) => {
    const locals = res.locals.apex
    const username = req.params.actor
    const iri = apex.utils.usernameToIRI(username)
    // Kept and known current (nearly every request): no promise.
    const now = recipients.readNow(iri)
    if (now !== undefined) return settle(locals, username, now)
    return recipients.read(iri, async () => await readRecipient(iri, username)).then(kept => settle(locals, username, kept))
  }
}
