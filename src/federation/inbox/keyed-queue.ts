/**
 * Runs work in order per key and concurrently across keys: the next job of a key starts when the
 * one before it settled, whatever the outcome. A key with nothing queued holds no memory.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>()

  /** Queues `work` behind the work already queued under `key`; resolves or rejects as it does. */
  run<T> (key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const result = previous.then(work)
    const tail = result.then(() => undefined, () => undefined)
    this.tails.set(key, tail)
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key) })
    return result
  }

  /** Keys with work queued or running now. */
  get size (): number {
    return this.tails.size
  }

  /** Resolves when every job queued so far has settled. */
  async idle (): Promise<void> {
    await Promise.all([...this.tails.values()])
  }
}
