import type { ApexNode } from '../../../store/store.port'

/** What apex emits as `apex-inbox` after an inbox POST was stored and answered. */
export interface InboxEvent {
  actor: ApexNode
  activity: ApexNode
  recipient: ApexNode
  object?: ApexNode
}

/** Handles one activity type; runs after the response, so it must not throw at the peer. */
export type InboxHandler = (event: InboxEvent) => Promise<void>
