import { DomainBlockedError, ForbiddenAddressError, RemoteError, ValidationError } from '../../errors/app-errors'
import type { Apex } from '../apex-setup'
import { first, hasType } from '../../domain/activity-streams/nodes'
import type { ApexNode } from '../../store/store.port'
import { apexStep, InboxStep } from './inbox-steps'

/**
 * Activity types whose object may be any object (a Note, a HostedService), not only an activity;
 * Add and Remove name an actor added to or removed from a collection (an umbrella's members).
 */
const REACTIONS = ['like', 'announce', 'add', 'remove']

function typeOf (body: unknown): string {
  return String(first((body as { type?: unknown }).type) ?? '').toLowerCase()
}

/**
 * Replaces apex's `validators.activityObject`. For Like, Announce, Add and Remove the object is looked up in
 * the hub's store (an activity or an object) and otherwise kept as sent, without fetching:
 * Mastodon likes and boosts Notes, which apex refused (it expects an activity, issue #52).
 * A Create's embedded object is taken as sent and stored later, with the activity.
 * Other types go to apex; a failure to fetch their object is a 400 with the reason.
 */
export function resolveActivityObject (apex: Apex): InboxStep {
  const apexResolve = apexStep(apex.net.validators.activityObject)
  const validateActivity = apex.validateActivity as (node: unknown) => boolean
  const validateObject = apex.validateObject as (node: unknown) => boolean
  const isLocalCollection = apex.isLocalCollection as (node: unknown) => boolean
  const store = apex.store as { getActivity: (id: string, meta?: boolean) => Promise<unknown>, getObject: (id: string) => Promise<unknown> }
  return (req, res) => {
    const type = typeOf(req.body)
    const embedded = first((req.body as { object?: unknown }).object)
    if (type === 'create' && validateActivity(req.body) && validateObject(embedded)) {
      // apex would store the embedded object here, before the activity is validated or claimed;
      // the hub stores it with the activity, in one write (store-received-activity.ts).
      res.locals.apex.object = embedded
      if (!isLocalCollection(embedded)) res.locals.apex.unsavedObject = embedded
      return
    }
    if (!REACTIONS.includes(type)) {
      return apexResolve(req, res).catch(err => { throw asObjectError(err) })
    }
    if (embedded === undefined) return
    if (typeof embedded !== 'string') {
      res.locals.apex.object = embedded
      return
    }
    return (async () => {
      res.locals.apex.object = (await store.getActivity(embedded, true)) ?? (await store.getObject(embedded)) ?? embedded
    })()
  }
}

/**
 * Replaces apex's `validators.inboxActivity`: a Like, Announce, Add or Remove whose object is not an activity
 * is accepted like any other activity for the inbox; a Create from another server is checked
 * here as apex checks it, without apex's chain of promises (the most common activity an inbox
 * takes); everything else goes to apex unchanged. apex fetches an activity's `shares` and
 * `likes` collections here: one its server does not serve is a 400 with the reason (apex's
 * error was a 502).
 */
export function validateInboxActivity (apex: Apex): InboxStep {
  const apexValidate = apexStep(apex.net.validators.inboxActivity)
  const validateActivity = apex.validateActivity as (node: unknown) => boolean
  const validateObject = apex.validateObject as (node: unknown) => boolean
  const embedCollections = apex.embedCollections as (node: unknown) => Promise<unknown>
  const addMeta = apex.addMeta as (node: unknown, key: string, value: unknown) => void
  const isLocalIri = (id: string): boolean => (apex.isLocalIRI as (id: string) => boolean).call(apex, id)
  const refused = (err: unknown): never => { throw asCollectionError(err) }
  return (req, res) => {
    const locals = res.locals.apex
    const type = typeOf(req.body)
    if (type === 'create' && locals.target && locals.actor && isRemoteWithCollectionsEmbedded(req.body as ApexNode, isLocalIri)) {
      const body = req.body as ApexNode
      if (!validateActivity(body)) {
        locals.status = 400
        locals.statusMessage = 'A Create needs an id, a type and an actor'
      } else if (!validateObject(locals.object)) {
        locals.status = 400
        locals.statusMessage = 'A Create needs an object with an id and a type'
      } else {
        // As apex's `embedCollections` leaves a remote activity: its collections without their items.
        dropItems(body.shares)
        dropItems(body.likes)
        addMeta(body, 'collection', first(locals.target.inbox))
        locals.activity = true
      }
      return
    }
    if (!REACTIONS.includes(type) || !locals.target || !locals.actor || validateActivity(locals.object)) {
      return apexValidate(req, res).catch(refused)
    }
    if (!validateActivity(req.body) || locals.object === undefined) {
      locals.status = 400
      locals.statusMessage = `A ${first((req.body as { type?: unknown }).type)} needs an id, an actor and an object`
      return
    }
    return embedCollections(req.body).then(() => {
      addMeta(req.body, 'collection', first(locals.target.inbox))
      locals.activity = true
    }, refused)
  }
}

/**
 * True for an activity of another server whose `shares` and `likes` are embedded or absent
 * (`fetchActivityCollections` embeds those named by IRI): apex's `embedCollections` would fetch
 * or read nothing for it. apex takes the rest.
 */
function isRemoteWithCollectionsEmbedded (body: ApexNode, isLocalIri: (id: string) => boolean): boolean {
  return typeof body.id === 'string' && !isLocalIri(body.id) && !namesCollectionByIri(body)
}

/** Whether the activity's `shares` or `likes` is named by an IRI (to be fetched) rather than embedded. */
function namesCollectionByIri (body: Record<string, unknown>): boolean {
  return typeof first(body.shares) === 'string' || typeof first(body.likes) === 'string'
}

/** An embedded collection (the first of `collections`) loses its items, as apex's `embedCollections` leaves a remote activity's. */
function dropItems (collections: unknown): void {
  const collection = Array.isArray(collections) ? collections[0] as Record<string, unknown> | undefined : undefined
  if (collection !== null && typeof collection === 'object') delete collection.orderedItems
}

/**
 * Fetches the activity's `shares` and `likes` collections before anything of the activity is
 * stored, and embeds them, so that apex's `embedCollections` (which runs after the embedded
 * object was saved, and saves what it fetches) finds them embedded and fetches nothing: a
 * collection its server does not serve, or a document that is no collection, is a 400 that
 * leaves the store as it was.
 */
export function fetchActivityCollections (apex: Apex): InboxStep {
  return req => {
    const body = req.body as Record<string, unknown>
    // Without an id apex refuses the activity later (400); without a collection named by IRI there is nothing to fetch.
    if (typeof body.id !== 'string' || !namesCollectionByIri(body)) return
    return embedRemoteCollections(apex, body).catch(err => { throw asCollectionError(err) })
  }
}

async function embedRemoteCollections (apex: Apex, body: Record<string, unknown>): Promise<void> {
  const fetched: Array<[string, ApexNode]> = []
  for (const key of ['shares', 'likes']) {
    const iri = first(body[key])
    if (typeof iri !== 'string') continue
    const collection = await apex.requestObject(iri) as ApexNode | null
    if (collection === null) throw new ValidationError(`The activity's ${key} collection ${iri} could not be fetched from its server`)
    if (!hasType(collection, 'Collection') && !hasType(collection, 'OrderedCollection')) {
      throw new ValidationError(`The activity's ${key} (${iri}) is a ${String(first(collection.type))}, not a collection`)
    }
    // Not paged: the items would be copied into every embedded copy (as apex drops them too).
    const { orderedItems: _items, items: _other, ...summary } = collection
    fetched.push([key, summary as ApexNode])
  }
  for (const [key, collection] of fetched) body[key] = [collection]
}

function asCollectionError (err: unknown): unknown {
  if (err instanceof RemoteError || err instanceof ForbiddenAddressError || err instanceof DomainBlockedError) {
    return new ValidationError(`The activity's shares or likes collection could not be fetched from its server: ${err.message}`)
  }
  return err
}

function asObjectError (err: unknown): unknown {
  if (err instanceof RemoteError || err instanceof ForbiddenAddressError || err instanceof DomainBlockedError) {
    return new ValidationError(`The activity's object could not be fetched from its server: ${err.message}`)
  }
  // apex parses object ids with new URL(): an id that is no URL is the sender's mistake.
  if ((err as { code?: unknown } | null)?.code === 'ERR_INVALID_URL') {
    return new ValidationError(`The activity's object id is not a URL: ${(err as { input?: string }).input ?? ''}`)
  }
  return err
}
