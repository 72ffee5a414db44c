import type { Logger } from '../../log/logger'
import type { InboxEvent, InboxHandler } from './handlers/inbox-event'

/** Routes each received activity to the handlers for its type, one at a time per activity. */
export class InboxDispatcher {
  private readonly handlers = new Map<string, InboxHandler[]>()
  private pending = Promise.resolve()

  constructor (private readonly logger: Logger) {}

  /** Adds a handler for an activity type (e.g. `Follow`). */
  on (type: string, handler: InboxHandler): this {
    const list = this.handlers.get(type.toLowerCase()) ?? []
    list.push(handler)
    this.handlers.set(type.toLowerCase(), list)
    return this
  }

  /** Runs the handlers of an event; errors are logged, never thrown at the peer. */
  dispatch (event: InboxEvent): Promise<void> {
    const types = Array.isArray(event.activity.type) ? event.activity.type : [event.activity.type]
    const handlers = types.flatMap(t => this.handlers.get(String(t).toLowerCase()) ?? [])
    // Serialised so that e.g. a Create and a quick Update of one object apply in order.
    this.pending = this.pending.then(async () => {
      for (const handler of handlers) {
        try {
          await handler(event)
        } catch (err) {
          this.logger.error({ err, activity: event.activity.id }, 'inbox: handler failed')
        }
      }
    })
    return this.pending
  }

  /** Resolves when every event dispatched so far has been handled. */
  idle (): Promise<void> {
    return this.pending
  }
}
