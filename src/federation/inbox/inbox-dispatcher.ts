import type { Logger } from '../../log/logger'
import { objectOfEvent, orderingKey, routeCandidates } from './dispatch-keys'
import type { InboxEvent, InboxHandlerTable, InboxRoute } from './inbox-registry'
import { KeyedQueue } from './keyed-queue'

/**
 * Runs exactly one handler per received activity: the most specific (activity type, object type)
 * pair registered (`dispatch-keys.ts`), when its filter takes the event. Events about one thing
 * run in the order they arrived; events about different things run side by side. An activity no
 * feature handles was stored and acknowledged by the inbox and stops here.
 */
export class InboxDispatcher {
  private readonly queue = new KeyedQueue()

  constructor (private readonly table: InboxHandlerTable, private readonly logger: Logger) {}

  /**
   * The route that handles an event, or undefined when no feature handles it: the most specific
   * pair's, unless its filter leaves the event out (less specific pairs are not tried then).
   */
  routeFor (event: InboxEvent): InboxRoute | undefined {
    for (const [activityType, objectType] of routeCandidates(event)) {
      const route = this.table.find(activityType, objectType)
      if (route === undefined) continue
      return route.only === undefined || route.only({ ...event, object: objectOfEvent(event) }) ? route : undefined
    }
    return undefined
  }

  /** Runs the event's handler behind earlier events about the same thing; errors are logged, never thrown at the peer. */
  async dispatch (event: InboxEvent): Promise<void> {
    let route: InboxRoute | undefined
    let key: string
    let withObject: InboxEvent
    try {
      route = this.routeFor(event)
      if (route === undefined) {
        this.logger.debug({ activity: event.activity.id, type: event.activity.type }, 'inbox: no handler; stored and acknowledged')
        return
      }
      withObject = { ...event, object: objectOfEvent(event) }
      key = orderingKey(event)
    } catch (err) {
      // An activity of a shape no one foresaw must never stop the process (it runs after the answer).
      this.logger.error({ err, activity: event.activity.id }, 'inbox: activity could not be routed')
      return
    }
    const handled = route
    await this.queue.run(key, async () => {
      try {
        await handled.handler(withObject)
      } catch (err) {
        this.logger.error({ err, activity: event.activity.id, pair: `${handled.activityType} ${handled.objectType}` }, 'inbox: handler failed')
      }
    })
  }

  /** Resolves when every event dispatched so far has been handled. */
  async idle (): Promise<void> {
    await this.queue.idle()
  }
}
