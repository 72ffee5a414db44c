import type { RequestHandler } from 'express'
import type { Apex } from '../apex-setup'
import { activityBodyParser } from '../inbox/activity-body-parser'
import { parseActivityJsonLd } from '../inbox/activity-json-ld'
import { inboxTarget } from '../inbox/inbox-target'
import { actorIsSender } from '../inbox/actor-is-sender'
import { refetchForeignEmbeddedObjects } from '../inbox/foreign-embedded-objects'
import type { InboxJournal } from '../inbox/inbox-journal'
import { fetchActivityCollections, resolveActivityObject, validateInboxActivity } from '../inbox/reactions'
import { personalInbox, sharedInbox } from '../inbox/shared-inbox'
import { requireOwnActivityId, requireOwnCollections } from '../inbox/activity-claims'
import { requireStoredOwner } from '../inbox/stored-object-owner'
import { HandlesInboxEvent, storeReceivedActivity } from '../inbox/store-received-activity'
import { apexStep, InboxStep, runSteps } from '../inbox/inbox-steps'
import type { RemoteActors } from '../remote-actors'
import type { Logger } from '../../log/logger'
import { valueFlowsAlias } from '../inbox/valueflows-alias'
import type { HubStore } from '../../store/store.port'
import { ROUTES } from './route-paths'
import { respondInbox } from './apex-responders'
import type { InboxRoute } from './inbox-first'

/** What the inbox routes need. */
export interface InboxRouteDeps {
  apex: Apex
  store: HubStore
  /** Authenticates inbox POSTs (signature, Digest, Date, signer). */
  authenticate: InboxStep
  maxBodyBytes: number
  /**
   * Before the body is read (rate limit per client address), after it is parsed but before
   * authentication (domain blocks), and after authentication (rate limit per verified host).
   */
  guards: { beforeBody: InboxStep[], afterBody: InboxStep[], afterAuthentication: InboxStep[] }
  remote: RemoteActors
  journal: InboxJournal
  /** Whether a handler of the hub runs for an event (an activity none handles is settled in its one write). */
  handles: HandlesInboxEvent
  hubUrl: string
  logger: Logger
}

/**
 * The hub's own inbox path: the co-ops' inboxes, the shared inbox and the instance actor's,
 * answered before Express's router (`inbox-first.ts`). Each is one handler running the receiving
 * steps in order (limits, body, domain blocks, signature, rate limit per verified host), then,
 * per recipient, the checks and apex's validation and side effects, with the journal claim, the
 * embedded object and the activity written in one transaction shared with the activities
 * arriving at the same moment. Every step is a plain function (`inbox-steps.ts`); apex's own
 * middlewares among them run through `apexStep`. apex still serves the actors, collections and
 * outbox (`activitypub.routes.ts`).
 */
export function inboxRoutes ({ apex, store, authenticate, maxBodyBytes, guards, remote, journal, handles, hubUrl, logger }: InboxRouteDeps): InboxRoute[] {
  // Everything after authentication, for one recipient; the shared inbox runs it once per recipient.
  const perRecipient: InboxStep[] = [
    valueFlowsAlias,
    parseActivityJsonLd(apex),
    requireOwnActivityId,
    inboxTarget(apex, store),
    actorIsSender(apex, hubUrl),
    refetchForeignEmbeddedObjects(remote, hubUrl, logger),
    requireOwnCollections,
    requireStoredOwner(apex, store),
    fetchActivityCollections(apex),
    resolveActivityObject(apex),
    validateInboxActivity(apex),
    storeReceivedActivity(journal, handles),
    apexStep(apex.net.activity.inboxSideEffects),
    respondInbox
  ]
  const receive = [apexLocals, ...guards.beforeBody, activityBodyParser(maxBodyBytes), ...guards.afterBody, authenticate, ...guards.afterAuthentication]
  return [
    { path: ROUTES.inbox, handler: receiveThen(receive, personalInbox(perRecipient, logger)) },
    { path: ROUTES.sharedInbox, handler: receiveThen(receive, sharedInbox(store, perRecipient, logger)) },
    // The instance actor publishes nothing; what reaches its inbox is authenticated and dropped.
    { path: ROUTES.instanceInbox, handler: receiveThen(receive, (_req, res) => { res.status(202).end() }) }
  ]
}

/** The receiving steps, then `deliver` (the personal or shared inbox), which answers; a refusal goes to `next`. */
function receiveThen (receive: readonly InboxStep[], deliver: RequestHandler): RequestHandler {
  return (req, res, next) => {
    runSteps(receive, req, res, (error, answered) => {
      if (error !== undefined) next(error)
      else if (!answered) deliver(req, res, next)
    })
  }
}

/**
 * What apex's own middleware gives a response, without its after-answer hook: the inbox runs
 * apex's after-answer work itself, per recipient (`shared-inbox.ts`), so the request's own
 * response carries only the verified sender. (apex's handlers find apex in `app.locals`, set
 * once by `createApp`.)
 */
const apexLocals: InboxStep = (_req, res) => {
  res.locals.apex = { eventName: null, eventMessage: {}, postWork: [] }
}
