/**
 * Storage of the notes around an umbrella's work: progress posts of its shared projects (the
 * umbrella's own and copies on member hubs), and the votes a hub's co-ops sent with the
 * umbrella's refusal when it sent one.
 */

/** A progress post: a Note by the umbrella with a project as its context. */
export interface ProgressPostRecord {
  id: string
  projectId: string
  umbrellaId: string
  content: string
  published: string
}

/** A vote a local co-op sent to an umbrella. */
export interface SentVoteRecord {
  noteId: string
  decisionId: string
  voterId: string
  choice: string
  sentAt: string
  /** Why the umbrella did not count it (its Reject), or null. */
  refusedReason: string | null
}

/** Progress posts and sent votes; every method answers a Promise. */
export interface UmbrellaNotesRepository {
  /** Inserts a post, or replaces the content of one with the same id. */
  saveProgressPost(post: ProgressPostRecord): Promise<void>
  /** Oldest first. */
  listProgressPosts(projectId: string): Promise<ProgressPostRecord[]>
  saveSentVote(vote: SentVoteRecord): Promise<void>
  /** Records the umbrella's refusal of the vote Note `noteId`; false when `voterId` sent no such vote. */
  refuseSentVote(noteId: string, voterId: string, reason: string): Promise<boolean>
  /** Newest first. */
  listSentVotes(voterId: string): Promise<SentVoteRecord[]>
}
