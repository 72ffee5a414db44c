/**
 * Storage of what sibling sync learns about followed co-ops' hubs: whether they answer, what
 * their NodeInfo says, and co-ops they follow that this hub's co-ops might follow too.
 */

/** What the hub knows about one followed co-op's reachability and software. */
export interface SiblingRecord {
  actorId: string
  /** NodeInfo `software` of the co-op's server, when it publishes NodeInfo. */
  software: { name: string, version?: string } | null
  /** The NodeInfo document as last fetched. */
  nodeinfo: Record<string, unknown> | null
  /** Consecutive failed syncs. */
  failures: number
  lastAttemptAt: string | null
  lastSuccessAt: string | null
  lastError: string | null
  /** Set when failures reached the threshold; cleared by the next success. */
  unreachableSince: string | null
}

/** A co-op followed by a sibling that no co-op of this hub follows yet. */
export interface SiblingSuggestion {
  actorId: string
  name: string | null
  /** The followed co-ops that follow it. */
  via: string[]
  firstSeenAt: string
  lastSeenAt: string
  dismissed: boolean
}

/** Sibling state and suggestions. */
export interface SiblingRepository {
  get(actorId: string): Promise<SiblingRecord | null>
  list(): Promise<SiblingRecord[]>
  /** A good sync: failures cleared, reachable again. */
  recordSuccess(actorId: string, info: { nodeinfo: Record<string, unknown> | null, software: SiblingRecord['software'] }): Promise<SiblingRecord>
  /** A failed sync; marks the sibling unreachable once `failures` reaches `unreachableAfter`. */
  recordFailure(actorId: string, error: string, unreachableAfter: number): Promise<SiblingRecord>
  /** Adds or refreshes a suggestion (merging `via`); answers whether it is new. */
  suggest(actorId: string, name: string | null, via: string): Promise<'added' | 'updated'>
  /** Drops suggestions that became follows. */
  removeSuggestion(actorId: string): Promise<boolean>
  listSuggestions(options: { includeDismissed: boolean }): Promise<SiblingSuggestion[]>
  /** The admin is not interested: kept, but no longer listed. False when unknown. */
  dismissSuggestion(actorId: string): Promise<boolean>
}
