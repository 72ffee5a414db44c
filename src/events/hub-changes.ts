import type { Logger } from '../log/logger'

/** Something that parts mirroring the hub's records (the directory index) need to know changed. */
export type HubChange =
  /** A local co-op was created or its profile changed. */
  | { type: 'coop', actorId: string }
  /** The hosted services an actor publishes changed (local: one of this hub's co-ops). */
  | { type: 'services', actorId: string, local: boolean }
  /** A remote actor updated its profile (it was heard from). */
  | { type: 'actor', actorId: string }
  /** Sibling sync found a followed actor unreachable, or reachable again. */
  | { type: 'reachability', actorId: string }
  /** A peer accepted a local co-op's follow: the actor is now followed. */
  | { type: 'followed', actorId: string }
  /** A remote actor deleted itself. */
  | { type: 'actor-deleted', actorId: string }

export type HubChangeListener = (change: HubChange) => Promise<void> | void

/**
 * A small in-process notice board: services announce changes, listeners keep their mirrors in
 * step. A listener's failure is logged and never fails the change that caused it.
 */
export class HubChanges {
  private readonly listeners: HubChangeListener[] = []

  constructor (private readonly logger?: Logger) {}

  /** Adds a listener; called in order for every change published afterwards. */
  subscribe (listener: HubChangeListener): void {
    this.listeners.push(listener)
  }

  /** Tells every listener, one after another; resolves when all have handled it. */
  async publish (change: HubChange): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(change)
      } catch (err) {
        this.logger?.warn({ err, change }, 'a listener failed to handle a change')
      }
    }
  }
}
