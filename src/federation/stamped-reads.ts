import type { ChangeStamps, HubStore } from '../store/store.port'

/** How many values one cache keeps at most: every active peer's, with room to spare. */
const MAX_KEPT = 2000

/**
 * Reads the inbox makes on every request — the recipient, the sender's key document, the domain
 * blocks of a host — kept in memory while the store's change stamp of their kind stays the same
 * (`HubStore.changeStamps`: moved by every write of that kind, from any process). The stamp is
 * read before the value, so a write landing between the two leaves the value kept under the older
 * stamp, and the next read loads it again. Kept values are shared between requests: a caller
 * copies what it would change.
 */
export class StampedReads<V> {
  private readonly kept = new Map<string, V>()
  private stampOfKept: number | string | null = null
  /** The stamp a value is kept under: its kind's, or its kinds' together for a value made of several. */
  private readonly stampOf: (stamps: ChangeStamps) => number | string

  /**
   * `kinds`: what the values are read from (a value read from several kinds is kept while none of
   * them changes); `keepMissing`: whether a null answer is kept too (a host without a block), or
   * always read again.
   */
  constructor (private readonly store: HubStore, kinds: keyof ChangeStamps | ReadonlyArray<keyof ChangeStamps>, private readonly keepMissing = false) {
    this.stampOf = typeof kinds === 'string' ? stamps => stamps[kinds] : stamps => kinds.map(kind => stamps[kind]).join(':')
  }

  /** The value under `key`: the kept one while nothing of its kind changed, else `load`'s answer. */
  read (key: string, load: () => Promise<V | null>): Promise<V | null> {
    // A chain rather than an async function: this runs several times per inbox request.
    return this.store.changeStamps().then(stamps => {
      const stamp = this.current(stamps)
      if (this.kept.has(key)) return this.kept.get(key) as V
      return load().then(value => this.keep(key, value, stamp))
    })
  }

  /**
   * The kept value under `key` (null for a kept "none"), answered without a promise when the
   * store can tell at once that nothing of its kind changed (`HubStore.changeStampsNow`);
   * undefined when it cannot tell or nothing is kept: then `read`. On every inbox request each
   * promise and turn of the microtask queue saved counts (docs/performance.md).
   */
  readNow (key: string): V | null | undefined {
    const stamps = this.store.changeStampsNow()
    if (stamps === null) return undefined
    this.current(stamps)
    return this.kept.has(key) ? this.kept.get(key) as V : undefined
  }

  /** The stamp of `stamps` for these values; what was kept under an older one is let go. */
  private current (stamps: ChangeStamps): number | string {
    const stamp = this.stampOf(stamps)
    if (stamp !== this.stampOfKept) {
      // Something of this kind changed: nothing kept under the older stamp can be trusted.
      this.kept.clear()
      this.stampOfKept = stamp
    }
    return stamp
  }

  /** Keeps a loaded value (a null one only when told to), unless its kind changed while it loaded. */
  private keep (key: string, value: V | null, stamp: number | string): V | null {
    if (value === null && !this.keepMissing) return null
    if (this.stampOfKept === stamp) {
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string)
      this.kept.set(key, value as V)
    }
    return value
  }
}
