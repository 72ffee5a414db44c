import { DuplicateInboxHandlerError } from '../../errors/inbox-registry-error'
import type { ApexNode } from '../../store/store.port'

/** What the inbox hands a handler after the activity was authenticated, validated and stored. */
export interface InboxEvent {
  /** The verified actor (cached actor document). */
  actor: ApexNode
  /** The activity as stored (compacted against the hub context). */
  activity: ApexNode
  /** The local actor whose inbox (or shared-inbox share) received it. */
  recipient: ApexNode
  /** The activity's object, resolved (hub copy or verified fetch) when it has one. */
  object?: ApexNode
}

/** Handles the activities of one (activity type, object type) pair; runs after the answer, so it must not throw at the peer. */
export type InboxHandler = (event: InboxEvent) => Promise<void>

/**
 * Which of its pair's events a handler takes, decided on the activity and its object alone (no
 * store, no I/O): for the others no handler runs, so the inbox stores them as it stores an
 * activity no feature handles, in one write.
 */
export type InboxEventFilter = (event: InboxEvent) => boolean

/** Where features register what they handle. */
export interface InboxRegistry {
  /** Registers the handler of one (activity type, object type) pair, optionally for some of its events only; registering a pair twice throws. */
  on(activityType: string, objectType: string, handler: InboxHandler, only?: InboxEventFilter): this
}

/** The object type that matches an activity whose object has no registered type. */
export const ANY_OBJECT = '*'

/** One registered pair, as the dispatcher matched it. */
export interface InboxRoute {
  activityType: string
  objectType: string
  handler: InboxHandler
  /** The pair's events the handler takes (all when absent). */
  only?: InboxEventFilter
}

/**
 * The table of (activity type, object type) → handler the features fill at start. Keys are
 * compared case-insensitively (peers write `accept` as often as `Accept`).
 */
export class InboxHandlerTable implements InboxRegistry {
  private readonly routes = new Map<string, InboxRoute>()

  /** Registers the handler of one pair; a pair registered twice throws `DuplicateInboxHandlerError`. */
  on (activityType: string, objectType: string, handler: InboxHandler, only?: InboxEventFilter): this {
    const key = routeKey(activityType, objectType)
    if (this.routes.has(key)) throw new DuplicateInboxHandlerError(activityType, objectType)
    this.routes.set(key, { activityType, objectType, handler, only })
    return this
  }

  /** The route registered for exactly this pair, if any. */
  find (activityType: string, objectType: string): InboxRoute | undefined {
    return this.routes.get(routeKey(activityType, objectType))
  }

  /** Every registered pair, in registration order. */
  pairs (): Array<{ activityType: string, objectType: string }> {
    return [...this.routes.values()].map(({ activityType, objectType }) => ({ activityType, objectType }))
  }
}

function routeKey (activityType: string, objectType: string): string {
  return `${activityType.toLowerCase()}\n${objectType.toLowerCase()}`
}
