import type { ApexNode } from '../../store/store.port'

/** What the inbox hands a handler after the activity was authenticated, validated and stored. */
export interface InboxEvent {
  actor: ApexNode // the verified actor (cached actor document)
  activity: ApexNode // the activity as stored (compacted against the hub context)
  recipient: ApexNode // the local actor whose inbox (or shared-inbox share) received it
  object?: ApexNode // the activity's object, resolved (hub copy or verified fetch) when it has one
}
export type InboxHandler = (event: InboxEvent) => Promise<void>

/** Where features register what they handle. */
export interface InboxRegistry {
  /** Registers the handler of one (activity type, object type) pair; registering a pair twice throws. */
  on(activityType: string, objectType: string, handler: InboxHandler): this
}
