/**
 * Gathers the writes that arrive within one turn of the event loop and runs them as one batch:
 * the inbox's group commit. With one SQLite writer, a commit costs about the same for one
 * activity as for ten (the same index pages are written to the WAL once), so activities arriving
 * together share it. Nothing waits on a timer: the batch runs as soon as the current turn ends,
 * so one activity alone is written as soon as it would have been.
 */
export class GroupCommit<I, O> {
  private pending: Array<{ item: I, resolve: (out: O) => void, reject: (err: unknown) => void }> = []
  private scheduled = false

  /** `write` gets every item of a batch and answers one result per item, in order. */
  constructor (private readonly write: (items: I[]) => Promise<O[]>, private readonly maxBatch = 64) {}

  /** Queues `item` for the next batch; resolves with its own result. */
  add (item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject })
      if (this.pending.length >= this.maxBatch) this.flush()
      else if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush (): void {
    this.scheduled = false
    const batch = this.pending
    if (batch.length === 0) return
    this.pending = []
    this.write(batch.map(b => b.item)).then(results => {
      batch.forEach((b, i) => b.resolve(results[i]))
    }, err => {
      for (const b of batch) b.reject(err)
    })
  }
}
